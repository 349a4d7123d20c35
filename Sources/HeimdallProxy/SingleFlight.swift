import Foundation
import HTTPTypes
import HeimdallCore
import HeimdallStore
import Synchronization

/// Concurrent identical misses share one upstream call (docs/behaviour.md §6): the first request
/// for a direct key leads, the others follow and are answered from the leader's result.
final class SingleFlight: Sendable {
    private let flights = Mutex<[String: Flight]>([:])
    /// How long a follower waits for the leader's first answer before going upstream itself.
    let patience: Duration

    init(patience: Duration) { self.patience = patience }

    enum Role {
        case leader(FlightLease)
        case follower(Flight)
    }

    func join(_ key: String) -> Role {
        flights.withLock { flights in
            if let flight = flights[key] { return .follower(flight) }
            let flight = Flight(key: key, registry: self)
            flights[key] = flight
            return .leader(FlightLease(flight: flight))
        }
    }

    var inFlight: Int { flights.withLock { $0.count } }

    /// Nobody waits forever: flights whose leader has been silent for `patience` release their
    /// followers. Called periodically by `FlightReaper` (one timer for all flights: a sleeping
    /// task per flight kept its timer alive long after cancellation, a leak under load).
    func reapSilent(now: ContinuousClock.Instant = .now) {
        let stale = flights.withLock { flights in
            flights.values.filter { now - $0.started > patience }
        }
        for flight in stale { flight.abandonIfSilent() }
    }

    fileprivate func remove(_ flight: Flight) {
        flights.withLock { flights in
            if flights[flight.key] === flight { flights[flight.key] = nil }
        }
    }
}

/// One leader's upstream call as its followers see it: a log of messages, replayed to each
/// follower from the start and then live.
final class Flight: Sendable {
    enum Message: Sendable {
        /// The whole answer (a stored JSON or binary body, or a cache hit the leader found).
        case answer(StoredResponse, CacheDebug)
        /// A stream's status and headers; its events follow.
        case streamHead(status: HTTPResponse.Status, headers: HTTPFields, cacheID: String)
        /// One stream event, as the upstream sent it (no `cache_debug`).
        case event([UInt8])
        /// The stream ended normally; `cacheID` names the stored entry, if it was stored.
        case streamEnd(cacheID: String?)
        /// The leader will not produce an answer to share: followers go upstream themselves.
        case abandoned
        /// The leader's stream broke after it began: followers' streams break the same way.
        case broken
    }

    struct State {
        var log: [Message] = []
        var subscribers: [Int: AsyncStream<Message>.Continuation] = [:]
        var nextSubscriber = 0
        var closed = false
    }

    let key: String
    let started = ContinuousClock.now
    private let state = Mutex(State())
    private weak let registry: SingleFlight?

    init(key: String, registry: SingleFlight) {
        self.key = key
        self.registry = registry
    }

    /// Releases followers of a leader that has published nothing yet.
    func abandonIfSilent() {
        if state.withLock({ $0.log.isEmpty }) { close(.abandoned) }
    }

    /// Everything published so far, then each new message, until the flight closes.
    func subscribe() -> AsyncStream<Message> {
        let (stream, continuation) = AsyncStream.makeStream(of: Message.self)
        state.withLock { state in
            for message in state.log { continuation.yield(message) }
            if state.closed {
                continuation.finish()
            } else {
                let id = state.nextSubscriber
                state.nextSubscriber += 1
                state.subscribers[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
                }
            }
        }
        return stream
    }

    func publish(_ message: Message) {
        state.withLock { state in
            guard !state.closed else { return }
            state.log.append(message)
            for continuation in state.subscribers.values { continuation.yield(message) }
        }
    }

    /// Publishes the last message and ends every subscription. Only the first close counts.
    func close(_ message: Message) {
        let subscribers = state.withLock { state -> [AsyncStream<Message>.Continuation] in
            guard !state.closed else { return [] }
            state.closed = true
            state.log.append(message)
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        registry?.remove(self)
        for continuation in subscribers {
            continuation.yield(message)
            continuation.finish()
        }
    }

    /// Closes the flight the way its state implies when the leader goes away without concluding it.
    fileprivate func abandon() {
        let started = state.withLock { state in
            state.log.contains { if case .streamHead = $0 { true } else { false } }
        }
        close(started ? .broken : .abandoned)
    }
}

/// The leader's hold on its flight: however the leader's work ends (returned, thrown, a
/// response body that was never written), releasing the lease closes the flight.
final class FlightLease: Sendable {
    let flight: Flight
    init(flight: Flight) { self.flight = flight }
    deinit { flight.abandon() }
}
