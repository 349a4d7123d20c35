import HeimdallStore
import Synchronization

/// What one request did, filled in by `ProxyResponder.route` where it decides and handed to
/// `StatsRecorder` once the response is ready. A reference, so helpers and stream writers can add to it.
final class RequestRecord: Sendable {
    struct Fields: Sendable {
        /// Decided where the request path decides it; a request nothing looked up for is a bypass.
        var outcome = RequestOutcome.bypass
        var cacheKey: String?
        var model: String?
        var upstream: Duration?
        var embedding: Duration?
        var similarity: Double?
        /// Body bytes and `usage` tokens of the stored answer served instead of an upstream call.
        var bytesSaved = 0
        var promptTokensSaved = 0
        var completionTokensSaved = 0
        /// Body bytes received from the upstream on a miss.
        var upstreamBytes = 0
    }

    private let state = Mutex(Fields())

    var fields: Fields { state.withLock { $0 } }

    /// The request reached a cache lookup: the namespace and `provider/model` it is counted under.
    func identify(cacheKey: String, model: String?) {
        state.withLock {
            $0.cacheKey = cacheKey
            $0.model = model
        }
    }

    /// A stored answer was served (`outcome` is a hit or `coalesced`): what that saved.
    func served(_ stored: StoredResponse, as outcome: RequestOutcome, similarity: Double? = nil) {
        state.withLock {
            $0.outcome = outcome
            $0.similarity = similarity
            $0.bytesSaved = stored.rawSize
            $0.promptTokensSaved = stored.promptTokens ?? 0
            $0.completionTokensSaved = stored.completionTokens ?? 0
        }
    }

    /// Answered from another request's upstream call (single-flight), saving that call.
    func coalesced(bytes: Int, promptTokens: Int?, completionTokens: Int?) {
        state.withLock {
            $0.outcome = .coalesced
            $0.bytesSaved = bytes
            $0.promptTokensSaved = promptTokens ?? 0
            $0.completionTokensSaved = completionTokens ?? 0
        }
    }

    func embedded(in duration: Duration) { state.withLock { $0.embedding = duration } }

    /// The upstream answered a miss: time from sending the request to the last body byte.
    func fetched(since started: ContinuousClock.Instant, bytes: Int) {
        let elapsed = ContinuousClock.now - started
        state.withLock {
            $0.upstream = elapsed
            $0.upstreamBytes = bytes
        }
    }

    /// Heimdall answered with an error of its own.
    func failed() { state.withLock { $0.outcome = .error } }

    /// Looked up, not found: the upstream answers (whatever its status).
    func missed() { state.withLock { $0.outcome = .miss } }

    /// The answer turned out uncacheable after all (too large to hold): relayed as a bypass.
    func bypassed() { state.withLock { $0.outcome = .bypass } }
}
