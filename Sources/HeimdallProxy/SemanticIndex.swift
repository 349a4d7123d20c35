import HeimdallCore
import HeimdallStore
import HeimdallVector
import Logging

/// Semantic lookup (docs/behaviour.md §3): the embedder, the in-memory vector index of stored entries'
/// embeddings (rebuilt from SQLite at start-up), and the rules for when a lookup runs.
final class SemanticIndex: Sendable {
    let embedder: any PromptEmbedder
    let index: PartitionedIndex
    /// Configured minimum similarity; a request may raise it, never lower it.
    let threshold: Double
    let conversationHistoryThreshold: Int
    let hitGuard: HitQualityGuard

    /// - Parameter invertedFile: how partitions of 20,000 entries or more are searched; `nil` scans flat.
    init(
        embedder: any PromptEmbedder, precision: ScanPrecision, invertedFile: InvertedFileSettings? = nil, threshold: Double,
        conversationHistoryThreshold: Int, hitGuard: HitQualityGuard
    ) {
        self.hitGuard = hitGuard
        self.embedder = embedder
        self.index = PartitionedIndex(configuration: .init(scanPrecision: precision, invertedFile: invertedFile))
        self.threshold = threshold
        self.conversationHistoryThreshold = conversationHistoryThreshold
    }

    /// Loads the stored embeddings of this vector space, then builds the inverted files of the
    /// partitions large enough for one (before the server accepts requests).
    func load(from store: CacheStore, logger: Logger) throws {
        var loaded = 0
        let started = ContinuousClock.now
        try index.bulkLoad {
            for stored in try store.embeddings(model: embedder.vectorSpace) {
                do {
                    try index.insert(id: stored.id, partition: Self.partition(stored.partitionKey), vector: stored.vector)
                    loaded += 1
                } catch {
                    logger.warning("skipping a stored embedding", metadata: ["cache_id": "\(stored.id)", "error": "\(error)"])
                }
            }
        }
        logger.info(
            "semantic index loaded",
            metadata: [
                "entries": "\(loaded)", "partitions": "\(index.partitionCount)", "vector_space": "\(embedder.vectorSpace)",
                "elapsed": "\(ContinuousClock.now - started)",
            ])
    }

    static func partition(_ key: String) -> PartitionKey { PartitionKey(key.utf8) }

    /// The threshold a request gets: the configured one, raised (never lowered) by `x-bf-cache-threshold`.
    func effectiveThreshold(requested: Double?) -> Double {
        max(threshold, requested ?? 0)
    }

    /// Whether a semantic lookup runs for this request at all.
    func applies(to fingerprint: RequestFingerprint) -> Bool {
        fingerprint.route.allowsSemantic && fingerprint.messageCount <= conversationHistoryThreshold
    }

    func search(_ embedding: PromptEmbedding, partition: String, threshold: Double) throws -> SemanticSearchResult {
        try index.search(partition: Self.partition(partition), query: embedding.vector, minimumSimilarity: Float(threshold), k: 4)
    }

    func add(id: String, partition: String, vector: [Float]) {
        try? index.insert(id: id, partition: Self.partition(partition), vector: vector)
    }

    func remove(_ ids: some Sequence<String>) {
        for id in ids { _ = index.remove(id: id) }
    }
}
