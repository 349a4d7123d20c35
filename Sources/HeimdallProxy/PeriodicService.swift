import ServiceLifecycle

/// Background work repeated every `interval` until graceful shutdown: the expiry sweep, the
/// write-behind flush and the single-flight reaper share this loop.
protocol PeriodicService: Service {
    var interval: Duration { get }
    /// Whether `tick` runs once more after shutdown begins (to commit what arrived meanwhile).
    var ticksAtShutdown: Bool { get }
    func tick()
}

extension PeriodicService {
    var ticksAtShutdown: Bool { false }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
                tick()
            }
        }
        if ticksAtShutdown { tick() }
    }
}
