import HeimdallStore
import Logging

/// Deletes expired entries in the background. Reads already ignore them; this reclaims the space.
struct ExpirySweeper: PeriodicService {
    let store: CacheStore
    let semantic: SemanticIndex?
    let interval: Duration
    let health: StoreHealth
    let logger: Logger

    func tick() {
        do {
            let removed = try store.deleteExpired()
            semantic?.remove(removed)
            if !removed.isEmpty { logger.debug("expired entries deleted", metadata: ["count": "\(removed.count)"]) }
        } catch {
            health.failed(.write, error)
        }
    }
}
