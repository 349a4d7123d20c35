import Foundation
import HeimdallCore
import HeimdallEmbedding
import HeimdallStore
import HeimdallVector
import Logging

/// Builds the semantic layer from configuration: the embedder (with its fallback rule) and the
/// vector index loaded from the database.
enum SemanticSetup {
    static func make(
        configuration c: HeimdallConfiguration, upstream: UpstreamClient, store: CacheStore, logger: Logger
    ) async throws -> SemanticIndex? {
        let embedder: any PromptEmbedder
        do {
            switch c.embedder {
            case "none":
                return nil
            case "hashed":
                embedder = LocalPromptEmbedder(embedder: HashedEmbedder())
            case "upstream":
                embedder = UpstreamPromptEmbedder(upstream: upstream, model: c.embeddingModel)
            default:
                let directory = c.modelDir.isEmpty ? ModelLocation.defaultDirectory() : URL(fileURLWithPath: c.modelDir)
                let precision = EmbeddingPrecision(rawValue: c.embeddingPrecision) ?? .f32
                embedder = LocalPromptEmbedder(
                    embedder: try LocalMiniLMEmbedder(modelDirectory: directory, precision: precision))
            }
        } catch {
            guard c.embedderFallback == "direct-only" else {
                throw ConfigurationError(
                    "the \(c.embedder) embedder cannot start: \(error) (or set embedder_fallback to direct-only, or embedder to none)")
            }
            logger.warning("embedder unavailable; serving direct hits only", metadata: ["error": "\(error)"])
            return nil
        }
        let semantic = SemanticIndex(
            embedder: embedder, precision: ScanPrecision(rawValue: c.vectorPrecision) ?? .f32,
            invertedFile: c.vectorIndex == "ivf" ? InvertedFileSettings(maximumProbes: c.ivfNprobe) : nil, threshold: c.threshold,
            conversationHistoryThreshold: c.conversationHistoryThreshold, hitGuard: c.hitGuard)
        try semantic.load(from: store, logger: logger)
        return semantic
    }
}
