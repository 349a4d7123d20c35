/// How the local model stores the weights of its linear layers (42 MB in f32, 89% of the bytes a
/// short prompt's forward pass reads).
///
/// `f16` rounds each weight to IEEE half precision at load time and halves the bytes streamed per
/// call; the kernels widen them exactly and compute in f32, so activations and sums keep full
/// precision. Embeddings stay within cosine 0.9999 of f32 ones (docs/hit-quality.md). Embedding
/// tables, biases and LayerNorm parameters stay f32 either way.
public enum EmbeddingPrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The checkpoint's own float32 weights: matches sentence-transformers to ~1e-6 per component.
    case f32
    /// IEEE binary16 weights, half the bytes.
    case f16

    public var description: String { rawValue }
}
