/// What happened to one proxied request, as `/stats` and `/metrics` count it (docs/behaviour.md §7).
public enum RequestOutcome: String, Sendable, CaseIterable, Codable {
    /// Served from the entry with the same direct key.
    case hitDirect = "hit_direct"
    /// Served from an entry whose prompt embedding was close enough.
    case hitSemantic = "hit_semantic"
    /// Looked up, not found, answered by the upstream (whatever its status).
    case miss
    /// No lookup ran, or the answer could not be cached (passthrough routes, no cache key,
    /// oversized or compressed bodies, streams relayed as they come).
    case bypass
    /// Heimdall answered with its own error: upstream unreachable or timed out, malformed
    /// JSON, a body over the limit, a store failure.
    case error
    /// Answered from a concurrent identical request's upstream call (single-flight).
    case coalesced

    /// Whether the client was answered without an upstream call of its own.
    var isHit: Bool { self == .hitDirect || self == .hitSemantic || self == .coalesced }
}
