import CEmbeddingKernels
import Foundation
import Testing

@testable import HeimdallEmbedding

/// Each available instruction-set variant of the C kernels against plain Swift references
/// computed in Double.
struct KernelTests {
    /// Deterministic pseudo-random floats in [-scale, scale) (SplitMix64), so failures reproduce.
    struct Noise {
        var state: UInt64
        mutating func next(_ scale: Float = 1) -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Float(z >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
        mutating func array(_ count: Int, _ scale: Float = 1) -> [Float] { (0..<count).map { _ in next(scale) } }
    }

    static let variants = KernelVariant.supported

    /// Every row count (1, 7, 13: below, at and above the 6/12-row register blocks), input size
    /// and output size (5: a partial panel) of the brief, plus sizes that are no multiple of anything.
    static let linearShapes: [(rows: Int, inputs: Int, outputs: Int)] = [
        (1, 384, 384), (7, 1536, 384), (13, 384, 1536), (13, 1536, 5), (7, 384, 5), (1, 1536, 1536),
        (13, 384, 384), (3, 37, 45), (25, 16, 33),
    ]

    /// y = x·Wᵀ + b in Double, through raw pointers so the debug build stays quick.
    static func referenceLinear(
        x: [Float], rows: Int, xStride: Int, weight: [Float], bias: [Float], inputs: Int, outputs: Int
    ) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outputs)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    for r in 0..<rows {
                        for c in 0..<outputs {
                            var sum = Double(bias[c])
                            for k in 0..<inputs { sum += Double(x[r * xStride + k]) * Double(w[c * inputs + k]) }
                            y[r * outputs + c] = sum
                        }
                    }
                }
            }
        }
        return y
    }

    /// The weights an f16 layer computes with: each rounded to binary16 and widened back.
    static func rounded(_ weights: [Float], to precision: EmbeddingPrecision) -> [Float] {
        precision == .f32 ? weights : weights.map { he_f16_to_f32(he_f32_to_f16($0)) }
    }

    /// f16 layers are held to the same bound against a reference over their rounded weights: the
    /// kernels widen exactly and accumulate in f32 like the f32 ones.
    @Test(arguments: EmbeddingPrecision.allCases)
    func linearMatchesScalarReference(precision: EmbeddingPrecision) {
        var noise = Noise(state: 42)
        for (rows, inputs, outputs) in Self.linearShapes {
            let weight = noise.array(outputs * inputs, 0.1)
            let bias = noise.array(outputs)
            let xStride = inputs + 3  // strides wider than the rows are part of the contract
            let yStride = outputs + 2
            let x = noise.array(rows * xStride)
            let expected = Self.referenceLinear(
                x: x, rows: rows, xStride: xStride, weight: Self.rounded(weight, to: precision), bias: bias, inputs: inputs,
                outputs: outputs)
            let layer = weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in PackedLinear(weight: w, bias: b, inputs: inputs, precision: precision) }
            }
            #expect(layer.precision == precision)
            for variant in Self.variants {
                var y = [Float](repeating: .nan, count: rows * yStride)
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        layer.apply(
                            variant, x: x.baseAddress!, rows: rows, xStride: xStride, y: y.baseAddress!, yStride: yStride)
                    }
                }
                var worst: Double = 0
                var wroteOutside = false
                for r in 0..<rows {
                    for c in 0..<outputs { worst = max(worst, abs(Double(y[r * yStride + c]) - expected[r * outputs + c])) }
                    for c in outputs..<yStride where !y[r * yStride + c].isNaN { wroteOutside = true }
                }
                #expect(!wroteOutside, "\(variant) \(precision) T=\(rows) out=\(outputs): wrote past the row's outputs")
                #expect(worst < 2e-5, "\(variant) \(precision) T=\(rows) in=\(inputs) out=\(outputs): max |Δ| \(worst)")
            }
        }
    }

    @Test(arguments: variants, EmbeddingPrecision.allCases)
    func linearPanelRangesWriteOnlyTheirColumns(variant: KernelVariant, precision: EmbeddingPrecision) {
        var noise = Noise(state: 7)
        let (rows, inputs, outputs) = (5, 64, 100)  // 4 panels, the last one partial
        let weight = noise.array(outputs * inputs)
        let bias = noise.array(outputs)
        let x = noise.array(rows * inputs)
        let layer = weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in PackedLinear(weight: w, bias: b, inputs: inputs, precision: precision) }
        }
        #expect(layer.panelCount == 4)
        var whole = [Float](repeating: 0, count: rows * outputs)
        var pieces = [Float](repeating: .nan, count: rows * outputs)
        x.withUnsafeBufferPointer { x in
            whole.withUnsafeMutableBufferPointer { y in
                layer.apply(variant, x: x.baseAddress!, rows: rows, xStride: inputs, y: y.baseAddress!, yStride: outputs)
            }
            pieces.withUnsafeMutableBufferPointer { y in
                layer.apply(
                    variant, x: x.baseAddress!, rows: rows, xStride: inputs, y: y.baseAddress!, yStride: outputs,
                    panels: 1..<2)
            }
        }
        for r in 0..<rows {
            for c in 0..<outputs {
                let value = pieces[r * outputs + c]
                if (32..<64).contains(c) {
                    #expect(value == whole[r * outputs + c])
                } else {
                    #expect(value.isNaN, "column \(c) is outside panel 1")
                }
            }
        }
    }

    @Test(arguments: variants)
    func expIsAccurate(variant: KernelVariant) {
        let xs: [Float] = stride(from: -87, through: 88, by: 0.0137).map { Float($0) } + [0, -0.0, 1e-8, -1e-8]
        var ys = [Float](repeating: 0, count: xs.count)
        he_exp(variant.isa, xs, xs.count, &ys)
        var worst: Double = 0
        for (x, y) in zip(xs, ys) {
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(y) - expected) / expected)
        }
        #expect(worst < 5e-7, "\(variant): max relative error \(worst)")
    }

    @Test(arguments: variants)
    func geluUsesTheErfForm(variant: KernelVariant) {
        var xs: [Float] = stride(from: -10, through: 10, by: 0.00173).map { Float($0) }
        xs.append(contentsOf: [0, 5e-4, -5e-4, 30, -30])
        var ys = xs
        he_gelu(variant.isa, &ys, ys.count)
        var worst: Double = 0
        for (x, y) in zip(xs, ys) {
            let expected = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - expected))
        }
        // The tanh approximation differs from the erf form by up to ~5e-4 (at |x| ≈ 2): far outside.
        #expect(worst < 2e-6, "\(variant): max |Δ| \(worst)")
    }

    @Test(arguments: variants)
    func layerNormWithResidual(variant: KernelVariant) {
        var noise = Noise(state: 3)
        for dim in [384, 37] {
            let rows = 3
            let a = noise.array(rows * dim, 4)
            let residual = noise.array(rows * dim)
            let gamma = noise.array(dim)
            let beta = noise.array(dim)
            var out = [Float](repeating: 0, count: rows * dim)
            he_add_layer_norm(variant.isa, a, residual, rows, dim, gamma, beta, 1e-12, &out)
            var worst: Double = 0
            for r in 0..<rows {
                let row = (0..<dim).map { Double(a[r * dim + $0]) + Double(residual[r * dim + $0]) }
                let mean = row.reduce(0, +) / Double(dim)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(dim)
                for i in 0..<dim {
                    let expected = (row[i] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[i]) + Double(beta[i])
                    worst = max(worst, abs(Double(out[r * dim + i]) - expected))
                }
            }
            #expect(worst < 5e-6, "\(variant) dim=\(dim): max |Δ| \(worst)")
        }
    }

    @Test(arguments: variants)
    func attentionMatchesReference(variant: KernelVariant) {
        var noise = Noise(state: 11)
        for (rows, heads, headDim) in [(1, 12, 32), (7, 12, 32), (13, 12, 32), (40, 2, 16), (33, 3, 64)] {
            let hidden = heads * headDim
            let stride = 3 * hidden + 5
            let qkv = noise.array(rows * stride, 2)
            var ctx = [Float](repeating: .nan, count: rows * hidden)
            var scratch = [Float](repeating: 0, count: he_attention_scratch_count(rows, headDim))
            he_attention(variant.isa, qkv, rows, stride, heads, headDim, &ctx, hidden, &scratch)
            var worst: Double = 0
            for h in 0..<heads {
                for i in 0..<rows {
                    var scores = (0..<rows).map { j in
                        (0..<headDim).reduce(0.0) { sum, d in
                            sum + Double(qkv[i * stride + h * headDim + d]) * Double(qkv[j * stride + hidden + h * headDim + d])
                        } / Double(headDim).squareRoot()
                    }
                    let top = scores.max()!
                    scores = scores.map { Foundation.exp($0 - top) }
                    let total = scores.reduce(0, +)
                    for d in 0..<headDim {
                        var expected = 0.0
                        for j in 0..<rows { expected += scores[j] / total * Double(qkv[j * stride + 2 * hidden + h * headDim + d]) }
                        worst = max(worst, abs(Double(ctx[i * hidden + h * headDim + d]) - expected))
                    }
                }
            }
            #expect(worst < 2e-6, "\(variant) T=\(rows) heads=\(heads)×\(headDim): max |Δ| \(worst)")
        }
    }

    @Test func meanPoolingIsNormalised() {
        let x: [Float] = [1, 2, 3, 4, 5, 6]  // two rows of three
        var out = [Float](repeating: 0, count: 3)
        he_mean_pool_normalize(x, 2, 3, &out)
        let mean: [Double] = [2.5, 3.5, 4.5]
        let norm = (mean.map { $0 * $0 }.reduce(0, +)).squareRoot()
        for i in 0..<3 { #expect(abs(Double(out[i]) - mean[i] / norm) < 1e-7) }
        var zero = [Float](repeating: 1, count: 3)
        he_mean_pool_normalize([0, 0, 0], 1, 3, &zero)
        #expect(zero == [0, 0, 0], "a zero vector stays zero (norm floored at 1e-12, no NaN)")
    }

    /// Widening is exact for every binary16 value (Float16 agrees bit for bit), and narrowing
    /// rounds to nearest even, saturating to infinity past the largest half.
    @Test func halfConversions() {
        var mismatches: [UInt16] = []  // one #expect at the end keeps the debug build quick
        for bits in UInt16.min...UInt16.max {
            let wide = he_f16_to_f32(bits)
            let expected = Float(Float16(bitPattern: bits))
            let widened = wide.bitPattern == expected.bitPattern || (wide.isNaN && expected.isNaN)
            if !widened || (!wide.isNaN && he_f32_to_f16(wide) != bits) { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(8).map { "0x" + String($0, radix: 16) })")
        let cases: [(Float, UInt16)] = [
            (1, 0x3C00), (-2, 0xC000), (65504, 0x7BFF), (65519.99, 0x7BFF), (65520, 0x7C00), (1e9, 0x7C00),
            (-.infinity, 0xFC00), (1 + 1.0 / 2048, 0x3C00), (1 + 3.0 / 2048, 0x3C02),  // ties to even
            (5.9604645e-8, 0x0001), (Float(bitPattern: 0x3300_0000), 0x0000), (Float(bitPattern: 0x3300_0001), 0x0001),
            (6.1035156e-5, 0x0400),  // 2^-24 (smallest subnormal), 2^-25 (a tie: to even, zero), just above, 2^-14
        ]
        for (value, bits) in cases {
            #expect(he_f32_to_f16(value) == bits, "\(value) → 0x\(String(he_f32_to_f16(value), radix: 16))")
        }
        #expect(he_f16_to_f32(he_f32_to_f16(.nan)).isNaN)
    }

    @Test func dispatchReportsAUsableVariant() {
        #expect(KernelVariant.best.isSupported)
        #expect(KernelVariant.generic.isSupported)
        #expect(KernelVariant.supported.contains(.best))
    }
}
