import HeimdallCore
import HeimdallStore
import Testing

@testable import HeimdallProxy

/// A flight lives exactly as long as its leader and followers need it (a leak here grows with every miss).
@Suite struct SingleFlightLifetimeTests {
    @Test func aClosedFlightIsFreedWhenItsLeaderLetsGo() async throws {
        let flights = SingleFlight(patience: .seconds(600))
        weak var observed: Flight?
        do {
            guard case .leader(let lease) = flights.join("k") else {
                Issue.record("the first request leads")
                return
            }
            observed = lease.flight
            lease.flight.close(
                .answer(StoredResponse(id: "e", status: 200, headers: [], body: [1, 2, 3], isStream: false), CacheDebug(cacheHit: true)))
        }
        #expect(observed == nil, "the flight outlived its lease")
        #expect(flights.inFlight == 0)
    }

    @Test func anAbandonedFlightIsFreedToo() async throws {
        let flights = SingleFlight(patience: .seconds(600))
        weak var observed: Flight?
        do {
            guard case .leader(let lease) = flights.join("k") else { return }
            observed = lease.flight
        }
        #expect(observed == nil)
        #expect(flights.inFlight == 0)
    }

    @Test func aSilentLeaderReleasesItsFollowersAfterThePatience() async throws {
        let flights = SingleFlight(patience: .milliseconds(50))
        guard case .leader(let lease) = flights.join("k"), case .follower(let flight) = flights.join("k") else {
            Issue.record("one leader, one follower")
            return
        }
        let messages = flight.subscribe()
        flights.reapSilent(now: .now)  // too early: nothing happens
        #expect(flights.inFlight == 1)
        try await Task.sleep(for: .milliseconds(60))
        flights.reapSilent()
        var received: [Flight.Message] = []
        for await message in messages { received.append(message) }
        guard case .abandoned? = received.first else {
            Issue.record("the follower is released with .abandoned, got \(received)")
            return
        }
        #expect(flights.inFlight == 0)
        _ = lease
    }
}
