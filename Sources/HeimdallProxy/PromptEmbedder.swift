import HTTPTypes
import HeimdallEmbedding

/// One embedded prompt, with what `cache_debug` reports about how it was made.
struct PromptEmbedding: Sendable {
    var vector: [Float]
    var inputTokens: Int
    /// `provider_used` / `model_used` in cache_debug.
    var provider: String
    var model: String
}

/// Embeds prompts for semantic lookup. Conformers differ in where vectors come from; all
/// of one process's vectors come from one embedder, named by `vectorSpace`.
protocol PromptEmbedder: Sendable {
    /// Identity of the vector space (stored with each entry): vectors of different spaces never meet.
    var vectorSpace: String { get }
    /// Embeds `text`. `headers` are the caller's request headers (credentials for an upstream embedder).
    func embed(_ text: String, headers: HTTPFields) async throws -> PromptEmbedding
}

/// An in-process model (the local MiniLM or the hashed embedder).
struct LocalPromptEmbedder: PromptEmbedder {
    let embedder: any Embedder

    var vectorSpace: String { "\(embedder.provider)/\(embedder.model)" }

    func embed(_ text: String, headers: HTTPFields) async throws -> PromptEmbedding {
        let embedding = try await embedder.embed(text)
        return PromptEmbedding(
            vector: embedding.vector, inputTokens: embedding.inputTokens, provider: embedder.provider, model: embedder.model)
    }
}
