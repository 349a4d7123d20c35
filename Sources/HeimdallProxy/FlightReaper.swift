/// Once a second, releases the followers of single-flight leaders silent for longer than the
/// upstream may take (connect + read timeouts), so no follower waits forever.
struct FlightReaper: PeriodicService {
    let flights: SingleFlight
    let interval = Duration.seconds(1)

    func tick() { flights.reapSilent() }
}
