import CEmbeddingKernels

/// A linear layer `y = x·Wᵀ + b` with W repacked once, at load time, into the column-panel
/// layout the C microkernels stream (CEmbeddingKernels.h, "Linear layers"), in f32 or f16.
struct PackedLinear: Sendable {
    let inputs: Int
    let outputs: Int
    let precision: EmbeddingPrecision
    private let packed: PackedWeights
    private let bias: AlignedFloats

    /// The packed panels in the element type the kernels read.
    private enum PackedWeights: Sendable {
        case f32(AlignedFloats)
        case f16(AlignedBuffer<UInt16>)
    }

    /// Panels of output columns; disjoint panel ranges can be computed in parallel.
    var panelCount: Int { he_panel_count(outputs) }

    /// Stacks several `[out_i, inputs]` weights (PyTorch layout) into one `[Σ out_i, inputs]`
    /// layer, e.g. query, key and value as one multiplication.
    init(
        stacking parts: [(weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>)], inputs: Int,
        precision: EmbeddingPrecision = .f32
    ) {
        let outputs = parts.reduce(0) { $0 + $1.bias.count }
        let weights = AlignedFloats(count: outputs * inputs)
        let bias = AlignedFloats(count: outputs)
        var row = 0
        for part in parts {
            precondition(part.weight.count == part.bias.count * inputs, "weight and bias shapes disagree")
            (weights.pointer + row * inputs).update(from: part.weight.baseAddress!, count: part.weight.count)
            (bias.pointer + row).update(from: part.bias.baseAddress!, count: part.bias.count)
            row += part.bias.count
        }
        let count = he_packed_weight_count(outputs, inputs)
        switch precision {
        case .f32:
            let packed = AlignedFloats(count: count)
            he_pack_weights(weights.pointer, outputs, inputs, packed.pointer)
            self.packed = .f32(packed)
        case .f16:
            let packed = AlignedBuffer<UInt16>(count: count)
            he_pack_weights_f16(weights.pointer, outputs, inputs, packed.pointer)
            self.packed = .f16(packed)
        }
        self.inputs = inputs
        self.outputs = outputs
        self.precision = precision
        self.bias = bias
    }

    init(
        weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>, inputs: Int,
        precision: EmbeddingPrecision = .f32
    ) {
        self.init(stacking: [(weight, bias)], inputs: inputs, precision: precision)
    }

    /// y[rows, outputs] (rows `yStride` apart) for the output columns of `panels`.
    func apply(
        _ variant: KernelVariant, x: UnsafePointer<Float>, rows: Int, xStride: Int,
        y: UnsafeMutablePointer<Float>, yStride: Int, panels: Range<Int>? = nil
    ) {
        let range = panels ?? 0..<panelCount
        switch packed {
        case .f32(let weights):
            he_linear(
                variant.isa, x, rows, xStride, inputs, weights.pointer, bias.pointer, outputs, y, yStride,
                range.lowerBound, range.upperBound)
        case .f16(let weights):
            he_linear_f16(
                variant.isa, x, rows, xStride, inputs, weights.pointer, bias.pointer, outputs, y, yStride,
                range.lowerBound, range.upperBound)
        }
    }
}
