/// Architecture of all-MiniLM-L6-v2 (its config.json); the loader checks every tensor shape
/// against these numbers, so a different checkpoint is rejected rather than misread.
struct MiniLMConfiguration: Sendable {
    var hiddenSize = 384
    var attentionHeads = 12
    var layers = 6
    var intermediateSize = 1536
    var vocabularySize = 30522
    var maxPositions = 512
    var layerNormEpsilon: Float = 1e-12

    var headDimension: Int { hiddenSize / attentionHeads }

    static let allMiniLML6v2 = MiniLMConfiguration()
}
