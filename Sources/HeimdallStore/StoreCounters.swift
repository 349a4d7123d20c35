import Synchronization

/// Entries this store removed on its own since it was opened: expired ones deleted by the
/// sweep, and ones evicted to keep within the entry and size limits. Admin stats report both.
public final class StoreCounters: Sendable {
    private let expired = Atomic<Int>(0)
    private let evicted = Atomic<Int>(0)

    public init() {}

    public var expirations: Int { expired.load(ordering: .relaxed) }
    public var evictions: Int { evicted.load(ordering: .relaxed) }

    func countExpired(_ count: Int) { expired.add(count, ordering: .relaxed) }
    /// For the eviction policy: call with the number of entries it removed.
    public func countEvicted(_ count: Int) { evicted.add(count, ordering: .relaxed) }
}
