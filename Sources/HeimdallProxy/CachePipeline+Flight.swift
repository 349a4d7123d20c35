import HTTPTypes
import HeimdallCore
import HeimdallStore
import Hummingbird
import NIOCore

/// The single-flight stage: identical misses in flight share one answer (docs/behaviour.md §6).
extension ProxyResponder {
    /// What single-flight made of a request: answered by its leader, or go on (leading, or alone).
    enum FlightTurn {
        case answered((Response, String?))
        case proceed(FlightLease?)
    }

    /// Identical misses in flight share one upstream call; a request that will not store does not lead.
    func joinFlight(_ r: CacheableRequest) async -> FlightTurn {
        guard !r.directives.noStore else { return .proceed(nil) }
        switch singleFlight.join(r.fingerprint.directKey) {
        case .leader(let held): return .proceed(held)
        case .follower(let flight):
            if let followed = await follow(flight, r) { return .answered(followed) }
            // The leader gave up before answering: go upstream like any miss.
            return .proceed(nil)
        }
    }

    /// Waits for the leader of an identical request; nil when it gave up before answering.
    func follow(_ flight: Flight, _ r: CacheableRequest) async -> (Response, String?)? {
        let subscription = FlightSubscription(flight.subscribe())
        guard let first = await subscription.next() else { return nil }
        switch first {
        case .answer(let answer, var debug):
            r.record.coalesced(bytes: answer.body.count, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens)
            debug.requestedProvider = r.baseDebug.requestedProvider
            debug.requestedModel = r.baseDebug.requestedModel
            // The leader's answer as the leader served it: a semantic hit stays one in the header too.
            return (serve(answer, debug: debug), answer.id)
        case .streamHead(let status, let headers, let cacheID):
            var debug = r.baseDebug
            debug.cacheHit = true
            debug.hitType = .direct
            debug.cacheID = cacheID
            r.record.coalesced(bytes: 0, promptTokens: nil, completionTokens: nil)
            var outHeaders = headers
            outHeaders[CacheOutcome.headerName] = CacheOutcome.hitDirect.rawValue
            let body = ResponseBody { [debug] writer in
                var placement = StreamDebugPlacement(debug: debug)
                while let message = await subscription.next() {
                    switch message {
                    case .event(let bytes):
                        for out in placement.accept(ServerSentEvent(bytes: bytes)) { try await writer.write(ByteBuffer(bytes: out)) }
                    case .streamEnd:
                        for out in placement.finish() { try await writer.write(ByteBuffer(bytes: out)) }
                        try await writer.finish(nil)
                        return
                    case .answer, .streamHead, .abandoned, .broken:
                        throw UpstreamError(kind: .unavailable, description: "the shared upstream stream broke")
                    }
                }
                throw UpstreamError(kind: .unavailable, description: "the shared upstream stream broke")
            }
            return (Response(status: status, headers: outHeaders, body: body), cacheID)
        case .event, .streamEnd, .abandoned, .broken:
            return nil
        }
    }
}

/// A follower's single reader of its flight subscription, handed from the request task to its
/// response body writer: used by one task at a time, which is what makes the unchecked Sendable sound.
final class FlightSubscription: @unchecked Sendable {
    private var iterator: AsyncStream<Flight.Message>.AsyncIterator

    init(_ stream: AsyncStream<Flight.Message>) { iterator = stream.makeAsyncIterator() }

    func next() async -> Flight.Message? { await iterator.next() }
}
