import Foundation
import HeimdallVector

/// One benchmark data set: `rows` random unit vectors of dimension 384 in all three scan
/// precisions (the float32 rows are shared between them), plus noisy-copy queries (cos ≈ 0.9 with
/// a planted row), generated the same way as the peer script's data.
struct ScanFixture: Sendable {
    static let dimension = 384
    static let queryCount = 64

    let rows: Int
    let storages: [ScanPrecision: VectorStorage]
    let queries: [[Float]]
    let plantedRows: [Int]

    /// Built on first use only: the 1M set alone is ~2.7 GB.
    static let tenThousand = ScanFixture(rows: 10_000)
    static let hundredThousand = ScanFixture(rows: 100_000)
    static let million = ScanFixture(rows: 1_000_000)

    static func shared(rows: Int) -> ScanFixture {
        switch rows {
        case 10_000: tenThousand
        case 100_000: hundredThousand
        case 1_000_000: million
        default: preconditionFailure("no fixture with \(rows) rows")
        }
    }

    init(rows: Int) {
        let d = Self.dimension
        var rng = SplitMix64(seed: 1234)
        var exact = VectorStorage(dimension: d, scanPrecision: .f32)
        exact.reserveCapacity(rows)
        var vectors: [[Float]] = []
        for i in 0..<rows {
            let v = rng.unitVector(d)
            exact.upsert(id: String(i), vector: v)
            if i < Self.queryCount * 64 { vectors.append(v) }  // keep a few for planting queries
        }
        var planted: [Int] = []
        var queries: [[Float]] = []
        for _ in 0..<Self.queryCount {
            let row = Int(rng.next() % UInt64(min(rows, vectors.count)))
            planted.append(row)
            let noise = rng.unitVector(d)
            var q = zip(vectors[row], noise).map { $0 + 0.48 * $1 }
            let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in q.indices { q[j] /= norm }
            queries.append(q)
        }
        self.rows = rows
        self.queries = queries
        self.plantedRows = planted
        storages = [.f32: exact, .f16: exact.converted(to: .f16), .int8: exact.converted(to: .int8)]
    }
}

/// SplitMix64 with a Box–Muller normal sampler: fast enough to fill 384M floats in seconds.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random direction: normal components, normalised.
    mutating func unitVector(_ d: Int) -> [Float] {
        var v = [Float](repeating: 0, count: d)
        var j = 0
        while j < d {
            let bits = next()
            let u1 = (Float(bits >> 40) + 0.5) / Float(1 << 24)  // (0, 1)
            let u2 = Float((bits >> 16) & 0xFF_FFFF) / Float(1 << 24)
            let radius = (-2 * log(u1)).squareRoot()
            v[j] = radius * cos(2 * .pi * u2)
            if j + 1 < d { v[j + 1] = radius * sin(2 * .pi * u2) }
            j += 2
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for k in v.indices { v[k] /= norm }
        return v
    }
}
