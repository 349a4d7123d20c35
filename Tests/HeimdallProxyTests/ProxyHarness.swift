import AsyncHTTPClient
import Foundation
import HeimdallCore
import HeimdallMockUpstream
import HeimdallProxy
import HeimdallStore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A running Heimdall in front of a running mock upstream, on loopback port 0 with a
/// database in its own temporary directory: the real parts, nothing mocked of our own.
final class ProxyHarness: Sendable {
    let mock: MockUpstream
    let server: HeimdallServer
    let task: Task<Void, any Error>
    let proxyURL: String
    let adminURL: String
    let directory: URL

    static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// Runs `body` against a fresh proxy and always stops it afterwards.
    static func with<T>(
        mock: MockUpstream? = nil, directory: URL? = nil, clock: CacheClock = .system, directHitsOnEventLoop: Bool = true,
        configure: (inout HeimdallConfiguration) -> Void = { _ in },
        _ body: (ProxyHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(
            mock: mock, directory: directory, clock: clock, directHitsOnEventLoop: directHitsOnEventLoop, configure: configure)
        do {
            let result = try await body(harness)
            await harness.stop(removeFiles: directory == nil)
            return result
        } catch {
            await harness.stop(removeFiles: directory == nil)
            throw error
        }
    }

    static func start(
        mock: MockUpstream?, directory: URL?, clock: CacheClock, directHitsOnEventLoop: Bool = true,
        configure: (inout HeimdallConfiguration) -> Void
    ) async throws -> ProxyHarness {
        let mock = mock ?? MockUpstream()
        let port = try await mock.start()
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = HeimdallConfiguration()
        configuration.listen = HostAndPort(host: "127.0.0.1", port: 0)
        configuration.admin = HostAndPort(host: "127.0.0.1", port: 0)
        configuration.upstream = "http://127.0.0.1:\(port)"
        configuration.db = directory.appendingPathComponent("heimdall.sqlite").path
        // The cheap deterministic embedder keeps most tests fast; semantic tests opt into the real model.
        configuration.embedder = .hashed
        configuration.fastPath = directHitsOnEventLoop
        configure(&configuration)
        var logger = Logger(label: "heimdall.test")
        logger.logLevel = .critical
        let server = try HeimdallServer(
            configuration: configuration, logger: logger, clock: clock)
        let (ready, continuation) = AsyncStream.makeStream(of: HeimdallServer.BoundAddresses.self)
        let task = Task {
            // Finish the readiness stream however run ends, so a start-up error cannot leave us waiting.
            defer { continuation.finish() }
            try await server.run { bound in
                continuation.yield(bound)
                continuation.finish()
            }
        }
        var bound: HeimdallServer.BoundAddresses?
        for await addresses in ready { bound = addresses }
        guard let bound else {
            try await task.value
            throw CancellationError()
        }
        return ProxyHarness(
            mock: mock, server: server, task: task, proxyURL: "http://\(bound.proxy)", adminURL: "http://\(bound.admin)",
            directory: directory)
    }

    init(mock: MockUpstream, server: HeimdallServer, task: Task<Void, any Error>, proxyURL: String, adminURL: String, directory: URL) {
        self.mock = mock
        self.server = server
        self.task = task
        self.proxyURL = proxyURL
        self.adminURL = adminURL
        self.directory = directory
    }

    func stop(removeFiles: Bool = true) async {
        await server.shutdown()
        _ = try? await task.value
        await mock.stop()
        if removeFiles { try? FileManager.default.removeItem(at: directory) }
    }

    var databasePath: String { directory.appendingPathComponent("heimdall.sqlite").path }

    /// Sends one request to the proxy and reads the whole answer.
    func send(
        _ target: String, method: HTTPMethod = .POST, body: String? = nil, bodyBytes: [UInt8]? = nil,
        headers: [(String, String)] = [], base: String? = nil
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: (base ?? proxyURL) + target)
        request.method = method
        if body != nil { request.headers.add(name: "content-type", value: "application/json") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bodyBytes { request.body = .bytes(ByteBuffer(bytes: bodyBytes)) }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    func get(_ target: String, headers: [(String, String)] = [], base: String? = nil) async throws -> TestResponse {
        try await send(target, method: .GET, headers: headers, base: base)
    }

    /// A chat completion through the proxy.
    func chat(_ text: String, model: String = "openai/gpt-4o-mini", extra: String = "", headers: [(String, String)] = []) async throws
        -> TestResponse
    {
        let escaped = CanonicalJSON.string(.string(text))
        return try await send(
            "/v1/chat/completions", body: #"{"model":"\#(model)","messages":[{"role":"user","content":\#(escaped)}]\#(extra)}"#,
            headers: headers)
    }
}

struct TestResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONParser.parse(body) }
    var cacheDebug: JSONValue? { json?["extra_fields"]?["cache_debug"] }
    var outcome: String? { headers.first(name: "x-heimdall-cache") }
}

/// A clock the test moves by hand, so TTL tests never sleep.
final class ManualClock: Sendable {
    private let value = Mutex<Double>(1_800_000_000)
    var now: Double { value.withLock { $0 } }
    func advance(by seconds: Double) { value.withLock { $0 += seconds } }
    var cacheClock: CacheClock { CacheClock { self.now } }
}
