import Synchronization

/// Entries removed since the store was opened, by reason; read by the admin stats.
public final class StoreCounters: Sendable {
    let evictedCount = Atomic<Int>(0)
    let expiredCount = Atomic<Int>(0)

    init() {}

    /// Entries removed because a limit (`max_entries`, `max_db_bytes`) was passed.
    public var evictions: Int { evictedCount.load(ordering: .relaxed) }
    /// Entries removed because their TTL had passed (sweeps and evictions).
    public var expirations: Int { expiredCount.load(ordering: .relaxed) }

    func evicted(_ count: Int) { if count > 0 { evictedCount.add(count, ordering: .relaxed) } }
    func expired(_ count: Int) { if count > 0 { expiredCount.add(count, ordering: .relaxed) } }
}
