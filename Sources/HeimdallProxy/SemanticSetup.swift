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
            case .none:
                return nil
            case .hashed:
                embedder = LocalPromptEmbedder(embedder: HashedEmbedder())
            case .upstream:
                embedder = UpstreamPromptEmbedder(upstream: upstream, model: c.embeddingModel)
            case .local:
                let directory = c.modelDir.isEmpty ? ModelLocation.defaultDirectory() : URL(fileURLWithPath: c.modelDir)
                let precision: EmbeddingPrecision =
                    switch c.embeddingPrecision {
                    case .f32: .f32
                    case .f16: .f16
                    }
                embedder = LocalPromptEmbedder(
                    embedder: try LocalMiniLMEmbedder(modelDirectory: directory, precision: precision))
            }
        } catch {
            guard c.embedderFallback == .directOnly else {
                throw ConfigurationError(
                    "the \(c.embedder.rawValue) embedder cannot start: \(error) (or set embedder_fallback to direct-only, or embedder to none)"
                )
            }
            logger.warning("embedder unavailable; serving direct hits only", metadata: ["error": "\(error)"])
            return nil
        }
        let semantic = SemanticIndex(
            embedder: embedder, precision: ScanPrecision(c.vectorPrecision),
            invertedFile: c.vectorIndex == .ivf ? InvertedFileSettings(maximumProbes: c.ivfNprobe) : nil, threshold: c.threshold,
            conversationHistoryThreshold: c.conversationHistoryThreshold, hitGuard: c.hitGuard)
        try semantic.load(from: store, logger: logger)
        return semantic
    }
}

extension ScanPrecision {
    init(_ setting: VectorPrecision) {
        switch setting {
        case .f32: self = .f32
        case .f16: self = .f16
        case .int8: self = .int8
        }
    }
}
