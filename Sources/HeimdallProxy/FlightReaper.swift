import ServiceLifecycle

/// Once a second, releases the followers of single-flight leaders silent for longer than the
/// upstream may take (connect + read timeouts), so no follower waits forever.
struct FlightReaper: Service {
    let flights: SingleFlight

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(1))
                } catch {
                    return
                }
                flights.reapSilent()
            }
        }
    }
}
