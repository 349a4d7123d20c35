import CEmbeddingKernels

/// The all-MiniLM-L6-v2 encoder with mean pooling and L2 normalisation, computed in fp32 (over f32
/// or f16 linear weights, `MiniLMWeights.precision`), for one unpadded sequence (batch 1, so no
/// attention mask is needed).
///
/// Forward pass (docs/minilm-recipe.md, "Forward pass"):
/// embeddings + LN → 6 × [QKV, 12-head attention, output + residual + LN, GELU(erf) FFN +
/// residual + LN] → mean over tokens → unit norm.
final class MiniLMModel: Sendable {
    let weights: MiniLMWeights
    let variant: KernelVariant
    private let pool: WorkspacePool
    /// Computes half of each linear layer's panels when `threads` is 2 (nil: one thread).
    private let helper: PanelHelper?

    var configuration: MiniLMConfiguration { weights.configuration }

    init(weights: MiniLMWeights, variant: KernelVariant = .best, threads: Int = 1) {
        self.weights = weights
        self.variant = variant.isSupported ? variant : .generic
        pool = WorkspacePool(configuration: weights.configuration, standardRows: WordPieceTokenizer.defaultMaxLength)
        helper = threads > 1 ? PanelHelper() : nil
    }

    deinit { helper?.stop() }

    /// The sentence embedding of `ids` (1 ... maxPositions ids, each < vocabularySize).
    func embed(ids: [Int32]) throws(EmbeddingError) -> [Float] {
        let config = configuration
        guard !ids.isEmpty, ids.count <= config.maxPositions else {
            throw EmbeddingError(.invalidInput, "MiniLM takes 1...\(config.maxPositions) token ids, got \(ids.count)")
        }
        guard ids.allSatisfy({ $0 >= 0 && Int($0) < config.vocabularySize }) else {
            throw EmbeddingError(.invalidInput, "token id outside the vocabulary of \(config.vocabularySize)")
        }
        return pool.withWorkspace(rows: ids.count) { workspace in
            guard let helper else { return encode(ids: ids, workspace: workspace, split: nil) }
            return helper.withHelper { split in encode(ids: ids, workspace: workspace, split: split) }
        }
    }

    private func encode(ids: [Int32], workspace: Workspace, split: PanelHelper.Split?) -> [Float] {
        let config = configuration
        let rows = ids.count
        let hidden = config.hiddenSize
        let isa = variant.isa
        let x = workspace.hidden.pointer

        ids.withUnsafeBufferPointer { ids in
            he_embeddings_sum(
                ids.baseAddress, rows, weights.wordEmbeddings, weights.positionEmbeddings, weights.tokenTypeEmbedding,
                hidden, x)
        }
        layerNorm(x, residual: nil, rows: rows, weights.embeddingNorm, into: x)

        for layer in weights.layers {
            let qkv = workspace.queryKeyValue.pointer
            linear(layer.queryKeyValue, x: x, rows: rows, xStride: hidden, y: qkv, yStride: 3 * hidden, split: split)
            he_attention(
                isa, qkv, rows, 3 * hidden, config.attentionHeads, config.headDimension, workspace.context.pointer,
                hidden, workspace.attentionScratch.pointer)
            let projected = workspace.projected.pointer
            linear(
                layer.attentionOutput, x: workspace.context.pointer, rows: rows, xStride: hidden, y: projected, yStride: hidden,
                split: split)
            layerNorm(projected, residual: x, rows: rows, layer.attentionNorm, into: x)

            let inner = workspace.intermediate.pointer
            let innerSize = config.intermediateSize
            linear(layer.intermediate, x: x, rows: rows, xStride: hidden, y: inner, yStride: innerSize, split: split)
            he_gelu(isa, inner, rows * innerSize)
            linear(layer.output, x: inner, rows: rows, xStride: innerSize, y: projected, yStride: hidden, split: split)
            layerNorm(projected, residual: x, rows: rows, layer.outputNorm, into: x)
        }

        var embedding = [Float](repeating: 0, count: hidden)
        embedding.withUnsafeMutableBufferPointer { out in
            he_mean_pool_normalize(x, rows, hidden, out.baseAddress)
        }
        return embedding
    }

    /// One linear layer, its panels split between this thread and the helper when it has one.
    private func linear(
        _ layer: PackedLinear, x: UnsafePointer<Float>, rows: Int, xStride: Int, y: UnsafeMutablePointer<Float>, yStride: Int,
        split: PanelHelper.Split?
    ) {
        let panels = layer.panelCount
        guard let split, panels >= 2 else {
            layer.apply(variant, x: x, rows: rows, xStride: xStride, y: y, yStride: yStride)
            return
        }
        let call = LinearCall(layer: layer, variant: variant, x: x, rows: rows, xStride: xStride, y: y, yStride: yStride)
        let middle = panels / 2
        split.run({ call.apply(0..<middle) }, upper: { call.apply(middle..<panels) })
    }

    private func layerNorm(
        _ a: UnsafePointer<Float>, residual: UnsafePointer<Float>?, rows: Int, _ parameters: LayerNormParameters,
        into out: UnsafeMutablePointer<Float>
    ) {
        he_add_layer_norm(
            variant.isa, a, residual, rows, configuration.hiddenSize, parameters.gamma.pointer, parameters.beta.pointer,
            configuration.layerNormEpsilon, out)
    }
}

/// One linear layer's arguments, handed to the helper thread for its half of the panels. The
/// pointers are the calling embedding's workspace, alive until `Split.run` returns.
private struct LinearCall: @unchecked Sendable {
    let layer: PackedLinear
    let variant: KernelVariant
    let x: UnsafePointer<Float>
    let rows: Int
    let xStride: Int
    let y: UnsafeMutablePointer<Float>
    let yStride: Int

    func apply(_ panels: Range<Int>) {
        layer.apply(variant, x: x, rows: rows, xStride: xStride, y: y, yStride: yStride, panels: panels)
    }
}
