import HeimdallStore
import Logging
import ServiceLifecycle

/// Commits the store's write-behind queue (new entries, hit counts) every few milliseconds, so the
/// request path never waits for SQLite; a crash loses at most the last interval's queue (CONTRACT §5).
struct StoreFlusher: Service {
    let store: CacheStore
    /// Entries evicted by a commit leave the vector index too.
    let semantic: SemanticIndex?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
                flush()
            }
        }
        flush()  // whatever arrived while shutting down
    }

    func flush() {
        guard store.hasPendingWork else { return }
        do {
            let evicted = try store.flush()
            semantic?.remove(evicted)
        } catch {
            logger.error("cache write failed", metadata: ["error": "\(error)"])
        }
    }
}
