import HeimdallStore
import Logging
import ServiceLifecycle

/// Deletes expired entries in the background. Reads already ignore them; this reclaims the space.
struct ExpirySweeper: Service {
    let store: CacheStore
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
                    if removed > 0 { logger.debug("expired entries deleted", metadata: ["count": "\(removed)"]) }
                } catch {
                    logger.error("expiry sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
