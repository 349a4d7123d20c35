import HeimdallVector
import Testing

@Suite("Quantization")
struct QuantizationTests {
    static let isas = NativeISA.allCases.filter(\.isSupported)

    static var samples: [Float] {
        var rng = SplitMix64(seed: 3)
        let specials: [Float] = [
            0, -0, 1, -1, 0.5, 65504, 65520, -65520, 1e9, .infinity, -.infinity, 6.0e-8, 3.0e-8, -2.9e-8,
            1.0e-5, 0.000_061_035_156, 0.333_333_34, 1.000_488_3, 1.000_976_6, 2049, 2051,
        ]
        let randoms = (0..<4000).map { _ in Float.random(in: -4...4, using: &rng) * Float(1 << Int.random(in: 0...12, using: &rng)) }
        let tiny = (0..<500).map { _ in Float.random(in: -1e-4...1e-4, using: &rng) }
        return specials + randoms + tiny
    }

    @Test("f32 → f16 rounds to nearest even on every path, and widening is exact", arguments: isas)
    func half(isa: NativeISA) {
        let values = Self.samples
        let bits = Quantization.halfBits(values, isa: isa)
        let reference = Quantization.halfBits(values, isa: .scalar)
        #expect(bits == reference)
        for (value, b) in zip(values, bits) {
            #if arch(arm64) || arch(x86_64)
                #expect(b == Float16(value).bitPattern, "\(value)")
            #endif
            let back = SIMDReference.float(fromHalfBits: b)
            #expect(Float(Float16(bitPattern: b)) == back || (back.isNaN && Float16(bitPattern: b).isNaN))
        }
        let widened = Quantization.floats(fromHalfBits: bits, isa: isa)
        #expect(widened == bits.map(SIMDReference.float(fromHalfBits:)))
        #expect(Quantization.halfBits([Float.nan], isa: isa).map { Float16(bitPattern: $0).isNaN } == [true])
    }

    @Test("int8 codes are symmetric, within ±127, and identical on every path", arguments: isas)
    func int8(isa: NativeISA) {
        var rng = SplitMix64(seed: 9)
        for d in [1, 3, 17, 384, 1536] {
            let v = TestData.unitVector(d, using: &rng)
            let q = Quantization.int8(v, isa: isa)
            #expect(q == Quantization.int8(v, isa: .scalar))
            let maxAbs = v.map(abs).max()!
            #expect(q.scale == maxAbs / 127)
            #expect(q.codes.map { abs(Int($0)) }.max() == 127)
            for (x, c) in zip(v, q.codes) {
                #expect(c != -128)
                #expect(abs(x / q.scale - Float(c)) <= 0.5001, "\(x) → \(c)")
            }
        }
        let zero = Quantization.int8([0, 0, 0], isa: isa)
        #expect(zero == Int8Vector(codes: [0, 0, 0], scale: 0))
    }
}
