#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// State guarded by a POSIX reader-writer lock: any number of concurrent readers, or one writer.
///
/// Similarity lookups (readers) vastly outnumber inserts, and a scan holds the lock for up to
/// milliseconds, so a plain mutex would serialise lookups that could run on every core. On glibc
/// the lock prefers writers, so a steady stream of lookups cannot starve an insert.
final class ReadWriteLock<State>: @unchecked Sendable {
    // @unchecked: every access to `state` goes through `read` (shared lock) or `write`
    // (exclusive lock), which is what makes concurrent use safe.
    private var state: State
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init(_ state: State) {
        self.state = state
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
            pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        let status = pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(status == 0, "pthread_rwlock_init failed: \(status)")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with shared access; other readers may run at the same time.
    func read<R>(_ body: (State) throws -> R) rethrows -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(state)
    }

    /// Runs `body` with exclusive access.
    func write<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&state)
    }
}
