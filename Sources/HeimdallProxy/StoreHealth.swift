import Foundation
import HeimdallStore
import Logging
import Synchronization

/// How the cache store has fared since start: failed reads and writes are counted, the store is
/// *degraded* from a failed write until a write succeeds again, and the log gets one line per
/// interval rather than one per request (a full disk fails every miss).
///
/// A failure here never reaches a client: a read that fails is a miss, a write that fails leaves
/// the upstream's answer as it was, without an entry (docs/reliability.md, "A cache that cannot write").
public final class StoreHealth: Sendable {
    /// What the store was asked to do when it failed.
    public enum Operation: String, Sendable {
        case read
        case write
    }

    /// `/stats`' `store_health`; `/readyz` reports its status and last error.
    public struct Snapshot: Codable, Sendable, Equatable {
        /// "ok", or "degraded" while the last write failed.
        public var status: String
        public var readFailures: Int
        public var writeFailures: Int
        /// The last failure's message (no secrets: SQLite's message and the statement's first words).
        public var lastError: String?
        /// Unix seconds of the last failure.
        public var lastFailureAt: Double?
    }

    struct State {
        var failures: [Operation: Int] = [:]
        var writeFailing = false
        var lastError: String?
        var lastFailureAt: Double?
        var lastLogged: ContinuousClock.Instant?
        /// Failures since the last log line, reported with the next one.
        var unlogged = 0
    }

    private let state = Mutex(State())
    private let logInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Double

    public init(
        logger: Logger, logInterval: Duration = .seconds(60),
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.logger = logger
        self.logInterval = logInterval
        self.now = now
    }

    /// Counts a failure and logs it unless a line was written within the interval.
    public func failed(_ operation: Operation, _ error: StoreError) {
        let time = now()
        let clock = ContinuousClock.now
        let message = error.description
        let suppressed = state.withLock { state -> Int? in
            state.failures[operation, default: 0] += 1
            if operation == .write { state.writeFailing = true }
            state.lastError = message
            state.lastFailureAt = time
            if let last = state.lastLogged, clock - last < logInterval {
                state.unlogged += 1
                return nil
            }
            state.lastLogged = clock
            defer { state.unlogged = 0 }
            return state.unlogged
        }
        guard let suppressed else { return }
        var metadata: Logger.Metadata = ["operation": "\(operation.rawValue)", "error": "\(message)"]
        if suppressed > 0 { metadata["failures_since_last_line"] = "\(suppressed)" }
        logger.error("cache store failure; requests are answered without the cache", metadata: metadata)
    }

    /// A write committed: the store is no longer degraded.
    public func wrote() {
        let recovered = state.withLock { state -> Bool in
            defer { state.writeFailing = false }
            return state.writeFailing
        }
        if recovered { logger.notice("cache store writes again") }
    }

    public func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(
                status: state.writeFailing ? "degraded" : "ok", readFailures: state.failures[.read] ?? 0,
                writeFailures: state.failures[.write] ?? 0, lastError: state.lastError, lastFailureAt: state.lastFailureAt)
        }
    }
}
