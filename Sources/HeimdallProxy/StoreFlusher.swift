import HeimdallStore
import Logging

/// Commits the store's write-behind queue (new entries with `write_behind`, hit counts) every few
/// milliseconds, so the request path never waits for it; a crash loses at most the last interval's
/// queue (docs/behaviour.md §5). Flushes once more at shutdown.
struct StoreFlusher: PeriodicService {
    let store: CacheStore
    /// Entries evicted by a commit leave the vector index too.
    let semantic: SemanticIndex?
    let interval: Duration
    let health: StoreHealth

    var ticksAtShutdown: Bool { true }

    func tick() {
        guard store.hasPendingWork else { return }
        do {
            // A commit already under way (a slow disk) is not waited for: this tick's queue goes with the next.
            let evicted = try store.flushIfIdle()
            semantic?.remove(evicted)
            health.wrote()
        } catch {
            health.failed(.write, error)
        }
    }
}
