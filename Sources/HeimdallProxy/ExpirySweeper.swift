import HeimdallStore
import Logging
import ServiceLifecycle

/// Deletes expired entries in the background. Reads already ignore them; this reclaims the space.
struct ExpirySweeper: Service {
    let store: CacheStore
    let semantic: SemanticIndex?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    let removed = try store.deleteExpired()
                    semantic?.remove(removed)
                    if !removed.isEmpty { logger.debug("expired entries deleted", metadata: ["count": "\(removed.count)"]) }
                } catch {
                    logger.error("expiry sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
