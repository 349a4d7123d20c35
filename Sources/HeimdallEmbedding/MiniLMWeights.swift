/// Scale and shift of one LayerNorm.
struct LayerNormParameters: Sendable {
    let gamma: AlignedFloats
    let beta: AlignedFloats
}

/// The weights of one BERT encoder layer, linear layers pre-packed.
struct EncoderLayerWeights: Sendable {
    /// Query, key and value stacked: one [T,384]·[1152,384]ᵀ multiplication instead of three.
    let queryKeyValue: PackedLinear
    let attentionOutput: PackedLinear
    let attentionNorm: LayerNormParameters
    let intermediate: PackedLinear
    let output: PackedLinear
    let outputNorm: LayerNormParameters
}

/// All tensors of all-MiniLM-L6-v2 the forward pass uses, validated by name, dtype and shape.
///
/// The embedding tables are read in place from the memory map (47 MB that would otherwise be
/// copied); linear layers are repacked for the microkernels (42 MB in f32, 21 MB in f16).
final class MiniLMWeights: @unchecked Sendable {
    // Sendable: immutable after init; the pointers point into `file`'s read-only mapping,
    // which this object keeps alive.
    let configuration: MiniLMConfiguration
    let wordEmbeddings: UnsafePointer<Float>
    let positionEmbeddings: UnsafePointer<Float>
    /// Row 0 of the token-type table (single-segment input).
    let tokenTypeEmbedding: UnsafePointer<Float>
    let embeddingNorm: LayerNormParameters
    let layers: [EncoderLayerWeights]
    /// Element type of the packed linear weights.
    let precision: EmbeddingPrecision
    private let file: SafeTensorsFile

    init(
        file: SafeTensorsFile, configuration: MiniLMConfiguration = .allMiniLML6v2, precision: EmbeddingPrecision = .f32
    ) throws(SafeTensorsError) {
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        func tensor(_ name: String, _ shape: [Int]) throws(SafeTensorsError) -> UnsafeBufferPointer<Float> {
            try file.floats(name, shape: shape)
        }
        func norm(_ prefix: String) throws(SafeTensorsError) -> LayerNormParameters {
            LayerNormParameters(
                gamma: AlignedFloats(copying: try tensor(prefix + ".weight", [hidden])),
                beta: AlignedFloats(copying: try tensor(prefix + ".bias", [hidden])))
        }
        func linear(_ prefix: String, outputs: Int, inputs: Int) throws(SafeTensorsError) -> PackedLinear {
            PackedLinear(
                weight: try tensor(prefix + ".weight", [outputs, inputs]), bias: try tensor(prefix + ".bias", [outputs]),
                inputs: inputs, precision: precision)
        }

        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden]).baseAddress!
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [configuration.maxPositions, hidden])
            .baseAddress!
        tokenTypeEmbedding = try tensor("embeddings.token_type_embeddings.weight", [2, hidden]).baseAddress!
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [EncoderLayerWeights] = []
        for index in 0..<configuration.layers {
            let prefix = "encoder.layer.\(index)."
            let attention = prefix + "attention.self."
            let parts = try ["query", "key", "value"].map { (part: String) throws(SafeTensorsError) in
                (
                    weight: try tensor(attention + part + ".weight", [hidden, hidden]),
                    bias: try tensor(attention + part + ".bias", [hidden])
                )
            }
            layers.append(
                EncoderLayerWeights(
                    queryKeyValue: PackedLinear(stacking: parts, inputs: hidden, precision: precision),
                    attentionOutput: try linear(prefix + "attention.output.dense", outputs: hidden, inputs: hidden),
                    attentionNorm: try norm(prefix + "attention.output.LayerNorm"),
                    intermediate: try linear(prefix + "intermediate.dense", outputs: inner, inputs: hidden),
                    output: try linear(prefix + "output.dense", outputs: hidden, inputs: inner),
                    outputNorm: try norm(prefix + "output.LayerNorm")))
        }
        self.layers = layers
        self.configuration = configuration
        self.precision = precision
        self.file = file
    }
}
