/// Turns text into a fixed-size, unit-norm vector for semantic cache look-ups.
///
/// Implementations must be safe to call concurrently: the proxy embeds requests from many
/// connections at once.
public protocol Embedder: Sendable {
    /// Where the vectors come from, e.g. `"local"` for in-process models.
    var provider: String { get }
    /// Model name recorded next to each cached vector; vectors of different models never mix.
    var model: String { get }
    /// Length of every vector this embedder returns.
    var dimensions: Int { get }
    /// Embeds one text.
    func embed(_ text: String) async throws -> Embedding
}

/// One embedded text.
public struct Embedding: Sendable, Equatable {
    /// Unit-norm vector of `Embedder.dimensions` components (cosine similarity = dot product).
    public var vector: [Float]
    /// Tokens the model saw, including the `[CLS]`/`[SEP]` markers for BERT-style models.
    public var inputTokens: Int

    public init(vector: [Float], inputTokens: Int) {
        self.vector = vector
        self.inputTokens = inputTokens
    }

    /// Dot product with another vector of the same length (the cosine, as both are unit-norm).
    public func cosine(_ other: Embedding) -> Float {
        precondition(vector.count == other.vector.count, "embeddings of different dimensions")
        var sum: Float = 0
        for i in vector.indices { sum += vector[i] * other.vector[i] }
        return sum
    }
}
