import HeimdallVector

/// Inputs and scalar reference results for every (n, d) shape, built once and shared by all
/// backends' tests, so a debug test run spends its time in the kernels, not in data generation.
struct KernelFixture: Sendable {
    let n: Int
    let d: Int
    let rows: [Float]
    let query: [Float]
    let halfRows: [UInt16]
    let rowCodes: [Int8]
    let rowScales: [Float]
    let queryCodes: Int8Vector
    /// Double-precision dot products of the query with the float32 rows, and with the widened halves.
    let expectedF32: [Double]
    let expectedF16: [Double]
    /// Exact int8 scores, computed in the kernels' operation order.
    let expectedInt8: [Float]

    static let all: [KernelFixture] = [1, 3, 17, 384, 1536].flatMap { d in [0, 1, 5, 1000].map { KernelFixture(n: $0, d: d) } }

    init(n: Int, d: Int) {
        self.n = n
        self.d = d
        var rng = SplitMix64(seed: UInt64(n * 7919 + d))
        // Uniform components then normalised: the kernels do not care about the exact distribution.
        func unit() -> [Float] {
            var v = (0..<d).map { _ in Float.random(in: -1...1, using: &rng) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { for j in v.indices { v[j] /= norm } }
            return v
        }
        var rows: [Float] = []
        rows.reserveCapacity(n * d)
        var codes: [Int8] = [], scales: [Float] = []
        for _ in 0..<n {
            let row = unit()
            rows += row
            let q = Quantization.int8(row, isa: .scalar)
            codes += q.codes
            scales.append(q.scale)
        }
        self.rows = rows
        query = unit()
        halfRows = Quantization.halfBits(rows, isa: .scalar)
        rowCodes = codes
        rowScales = scales
        queryCodes = Quantization.int8(query, isa: .scalar)
        let widened = halfRows.map(SIMDReference.float(fromHalfBits:))
        var f32 = [Double](repeating: 0, count: n), f16 = f32, i8 = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var a = 0.0, b = 0.0
            var dot: Int32 = 0
            for j in 0..<d {
                a += Double(query[j]) * Double(rows[i * d + j])
                b += Double(query[j]) * Double(widened[i * d + j])
                dot += Int32(queryCodes.codes[j]) * Int32(codes[i * d + j])
            }
            f32[i] = a
            f16[i] = b
            i8[i] = Float(dot) * scales[i] * queryCodes.scale
        }
        expectedF32 = f32
        expectedF16 = f16
        expectedInt8 = i8
    }

    /// float32 rounding error bound for unit vectors: grows roughly with √d.
    var tolerance: Double { 1.6e-6 * Double(d).squareRoot() + 1e-6 }

    /// Largest |got - expected|.
    static func maxError(_ got: [Float], _ expected: [Double]) -> Double {
        zip(got, expected).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
    }
}
