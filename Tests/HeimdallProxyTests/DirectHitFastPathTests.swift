import Foundation
import HeimdallCore
import NIOCore
import NIOPosix
import Testing

@testable import HeimdallProxy

/// The event-loop fast path for direct hits (`DirectHitHandler`): the same answers as
/// Hummingbird's responder, in order on a pipelined connection, whatever way the body arrives.
@Suite struct DirectHitFastPathTests {
    static let chatBody = #"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"What is a reverse proxy?"}]}"#
    static let speechBody = #"{"model":"gpt-4o-mini-tts","input":"Caches answer twice as fast.","voice":"alloy"}"#
    static let streamBody = ProxyHarness.chatStreamBody("Count to five")

    /// The hits of one request set, as the client saw them (the `date` header aside).
    static func hits(_ proxy: ProxyHarness) async throws -> [String: [String]] {
        var seen: [String: [String]] = [:]
        for (name, target, body) in [
            ("chat", "/v1/chat/completions", chatBody), ("speech", "/v1/audio/speech", speechBody),
            ("stream", "/v1/chat/completions", streamBody),
        ] {
            let hit = try await proxy.send(target, body: body)
            #expect(hit.outcome == "hit-direct", "\(name)")
            #expect(hit.headers.first(name: "date") != nil, "\(name) has a Date header")
            let headers = hit.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name.lowercased()): \($0.value)" }.sorted()
            seen[name] = ["\(hit.status)"] + headers + [hit.text]
        }
        return seen
    }

    @Test func answersEqualTheRespondersAnswers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-fast-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Store through the responder, then read the same entries back through each path.
        let viaResponder = try await ProxyHarness.with(directory: directory, directHitsOnEventLoop: false) { proxy in
            _ = try await proxy.send("/v1/chat/completions", body: Self.chatBody)
            _ = try await proxy.send("/v1/audio/speech", body: Self.speechBody)
            _ = try await proxy.send("/v1/chat/completions", body: Self.streamBody)
            let hits = try await Self.hits(proxy)
            #expect(proxy.server.stats.answeredOnEventLoop.load(ordering: .relaxed) == 0)
            return hits
        }
        let (fromFile, viaEventLoop) = try await ProxyHarness.with(directory: directory) { proxy in
            // A new process holds nothing in memory: the event loop never reads the file, so the
            // first round is read by the responder (on a store thread), the second comes from memory.
            let fromFile = try await Self.hits(proxy)
            #expect(proxy.server.stats.answeredOnEventLoop.load(ordering: .relaxed) == 0)
            let hits = try await Self.hits(proxy)
            #expect(proxy.mock.callCount() == 0)
            let stats = try await proxy.stats()
            #expect(stats.requests.hitDirect == 6, "fast-path hits are counted like any other")
            #expect(stats.requests.total == 6)
            #expect(proxy.server.stats.answeredOnEventLoop.load(ordering: .relaxed) == 3, "and answered on the event loop")
            return (fromFile, hits)
        }
        #expect(viaResponder.count == 3)
        for (name, answer) in viaResponder {
            #expect(fromFile[name] == answer, "\(name)")
            #expect(viaEventLoop[name] == answer, "\(name)")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.send("/v1/chat/completions", body: Self.chatBody)
            let slowMiss = RawHTTP.post(
                "/v1/chat/completions", body: #"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Something new"}]}"#,
                headers: ["x-mock-delay-ms: 300"])
            let hit = RawHTTP.post("/v1/chat/completions", body: Self.chatBody)
            // A hit behind a slow miss on one connection must wait for it: HTTP/1.1 answers in order.
            let answers = try await RawHTTP.exchange(port: proxy.port, writes: [slowMiss + hit + hit], expecting: 3)
            #expect(answers.map(\.outcome) == ["miss", "hit-direct", "hit-direct"])
            #expect(answers[1].text == answers[2].text)
            #expect(
                proxy.server.stats.answeredOnEventLoop.load(ordering: .relaxed) == 0, "behind an unanswered request: the responder's turn")
        }
    }

    @Test func aBodyArrivingInPiecesStillHits() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.send("/v1/chat/completions", body: Self.chatBody)
            let request = RawHTTP.post("/v1/chat/completions", body: Self.chatBody)
            let pieces = stride(from: 0, to: request.count, by: 37).map { Array(request[$0..<min($0 + 37, request.count)]) }
            let answers = try await RawHTTP.exchange(port: proxy.port, writes: pieces, expecting: 1)
            #expect(answers.first?.outcome == "hit-direct")
            #expect(answers.first?.statusLine == "HTTP/1.1 200 OK")
            #expect(proxy.server.stats.answeredOnEventLoop.load(ordering: .relaxed) == 1)
            #expect(first.outcome == "miss")
        }
    }

    @Test func aChunkedUploadHitsThroughTheResponder() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.send("/v1/chat/completions", body: Self.chatBody)
            let body = Array(Self.chatBody.utf8)
            var request = Array(
                "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".utf8
            )
            request += Array(String(body.count, radix: 16).utf8) + Array("\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)
            let answers = try await RawHTTP.exchange(port: proxy.port, writes: [request], expecting: 1)
            #expect(answers.first?.outcome == "hit-direct")
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.send("/v1/chat/completions", body: Self.chatBody)
            let request = RawHTTP.post("/v1/chat/completions", body: Self.chatBody, headers: ["connection: close"])
            // The server closes after answering: exchange returns on the close with one answer read.
            let answers = try await RawHTTP.exchange(port: proxy.port, writes: [request], expecting: 2)
            #expect(answers.map(\.outcome) == ["hit-direct"])
        }
    }
}

extension ProxyHarness {
    var port: Int { Int(proxyURL.split(separator: ":").last!)! }
}

/// A bare HTTP/1.1 client: writes exactly the bytes given (pipelined, or a request in pieces) and
/// parses the answers (content-length or chunked).
enum RawHTTP {
    struct Answer {
        var statusLine: String
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var outcome: String? { headers.first { $0.0 == "x-heimdall-cache" }?.1 }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func post(_ target: String, body: String, headers: [String] = []) -> [UInt8] {
        let lines =
            ["POST \(target) HTTP/1.1", "host: 127.0.0.1", "content-type: application/json", "content-length: \(body.utf8.count)"] + headers
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    /// Sends `writes` 20 ms apart and returns the answers read once `expecting` arrived, the server
    /// closed, or 10 s passed.
    static func exchange(port: Int, writes: [[UInt8]], expecting: Int) async throws -> [Answer] {
        let collector = Collector(expecting: expecting)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        for bytes in writes {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
            try await Task.sleep(for: .milliseconds(20))
        }
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(10)) { collector.done.succeed() }
        try await collector.done.futureResult.get()
        deadline.cancel()
        try? await channel.close()
        return try await channel.eventLoop.submit { collector.answers }.get()
    }

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let expecting: Int
        var bytes: [UInt8] = []
        var answers: [Answer] = []
        let done = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)

        init(expecting: Int) { self.expecting = expecting }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
            while let (answer, used) = RawHTTP.parse(bytes) {
                answers.append(answer)
                bytes.removeFirst(used)
            }
            if answers.count >= expecting { done.succeed() }
        }

        func channelInactive(context: ChannelHandlerContext) { done.succeed() }
    }

    /// One complete answer from the front of `bytes`, and how many bytes it took; nil if incomplete.
    static func parse(_ bytes: [UInt8]) -> (Answer, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = bytes.firstRange(of: separator) else { return nil }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0]
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var position = headEnd.upperBound
        if let length = headers.first(where: { $0.0 == "content-length" }).flatMap({ Int($0.1) }) {
            guard bytes.count >= position + length else { return nil }
            return (
                Answer(statusLine: statusLine, status: status, headers: headers, body: Array(bytes[position..<position + length])),
                position + length
            )
        }
        guard headers.contains(where: { $0.0 == "transfer-encoding" && $0.1.lowercased() == "chunked" }) else {
            return (Answer(statusLine: statusLine, status: status, headers: headers, body: []), position)
        }
        var body: [UInt8] = []
        while true {
            guard let lineEnd = bytes[position...].firstRange(of: Array("\r\n".utf8)),
                let size = Int(String(decoding: bytes[position..<lineEnd.lowerBound], as: UTF8.self), radix: 16)
            else { return nil }
            let start = lineEnd.upperBound
            guard bytes.count >= start + size + 2 else { return nil }
            body += bytes[start..<start + size]
            position = start + size + 2
            if size == 0 { return (Answer(statusLine: statusLine, status: status, headers: headers, body: body), position) }
        }
    }
}

@Suite struct HTTPDateTests {
    @Test func formatsIMFFixdateInEnglish() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_795_910_400) == "Sun, 29 Nov 2026 00:00:00 GMT")
        #expect(HTTPDate.format(1_795_910_400 + 9 * 3600 + 5 * 60 + 7) == "Sun, 29 Nov 2026 09:05:07 GMT")
    }
}
