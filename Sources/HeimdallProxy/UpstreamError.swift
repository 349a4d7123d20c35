/// Why the upstream could not answer, mapped to the contract's 502/504 errors (docs/behaviour.md §2).
struct UpstreamError: Error, CustomStringConvertible {
    enum Kind {
        /// Refused, reset, DNS failure, or the connection dropped mid-body: 502.
        case unavailable
        /// Connect or read timeout: 504.
        case timeout
    }

    var kind: Kind
    var description: String
}
