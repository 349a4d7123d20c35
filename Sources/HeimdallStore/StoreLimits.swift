/// How large the store may grow (docs/behaviour.md §5). Past either limit an insert evicts the least
/// recently used entries (last hit, else creation) in the same transaction; 0 means no limit.
public struct StoreLimits: Sendable, Equatable {
    /// Most entries kept.
    public var maxEntries: Int
    /// Most bytes of database pages in use (the main file once freed pages are reclaimed;
    /// the WAL beside it is bounded separately by checkpoints and `journal_size_limit`).
    public var maxDatabaseBytes: Int

    public init(maxEntries: Int = 0, maxDatabaseBytes: Int = 0) {
        self.maxEntries = maxEntries
        self.maxDatabaseBytes = maxDatabaseBytes
    }

    public static let unlimited = StoreLimits()

    /// Where an eviction stops: 1% under the limit, so a full cache evicts in batches rather
    /// than on every insert.
    static func lowWater(_ limit: Int) -> Int { limit - limit / 100 }
}
