import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An in-process OpenAI/Bifrost-compatible upstream on a loopback port: chat and text
/// completions (JSON and SSE), responses, embeddings, models, video jobs, and an echo of
/// anything else. Used by `heimdall demo` and by the end-to-end tests.
///
/// Request headers steer it, for fault tests: `x-mock-status: 503` answers with that
/// status and an OpenAI error; `x-mock-delay-ms: 200` waits before answering;
/// `x-mock-chunk-delay-ms: 50` spaces SSE chunks (or pieces of a chat JSON body);
/// `x-mock-retry-after: 7` adds `retry-after` to an `x-mock-status` error;
/// `x-mock-drop-after-bytes: 100` / `x-mock-drop-after-events: 3` close the connection
/// mid-body / mid-stream (chat completions).
public final class MockUpstream: Sendable {
    private let calls = Mutex<[RecordedCall]>([])
    private let counter = Atomic<Int>(0)
    private let running = Mutex<(task: Task<Void, any Error>, group: ServiceGroup)?>(nil)
    /// Milliseconds `POST /v1/embeddings` waits before answering (a proxy's embedding calls carry
    /// no `x-mock-delay-ms` of their own): lets tests hold a semantic lookup in flight.
    public let embeddingDelayMilliseconds = Atomic<Int>(0)

    public init() {}

    /// Every request received so far, oldest first.
    public var recordedCalls: [RecordedCall] { calls.withLock { $0 } }

    /// How many requests were received for `path` (query ignored); all of them when nil.
    public func callCount(path: String? = nil) -> Int {
        calls.withLock { calls in
            calls.filter { call in
                guard let path else { return true }
                return call.target.split(separator: "?", maxSplits: 1).first.map(String.init) == path
            }.count
        }
    }

    public func resetCalls() { calls.withLock { $0.removeAll() } }

    func record(_ call: RecordedCall) -> Int {
        calls.withLock { $0.append(call) }
        return counter.add(1, ordering: .relaxed).newValue
    }

    /// Starts listening on `host:port` (0 = any free port) and returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "heimdall.mock-upstream")
        logger.logLevel = .warning
        let app = Application(
            responder: MockResponder(upstream: self),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        running.withLock { $0 = (task, group) }
        for await bound in stream { return bound }
        task.cancel()
        throw CancellationError()
    }

    /// Stops the listener and waits for it to close.
    public func stop() async {
        guard
            let running = running.withLock({ state in
                defer { state = nil }; return state
            })
        else { return }
        await running.group.triggerGracefulShutdown()
        _ = try? await running.task.value
    }
}
