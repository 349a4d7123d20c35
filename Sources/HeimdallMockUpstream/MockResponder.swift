import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Routes mock requests. Answers are deterministic functions of the request plus a call
/// counter in every `id`, so a test can tell a replayed answer from a fresh one.
struct MockResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let upstream: MockUpstream

    func respond(to request: Request, context: Context) async throws -> Response {
        if request.headers[HTTPField.Name("x-mock-ignore-body")!] != nil {
            // Answers at once without reading the body, as servers rejecting an upload early do.
            _ = upstream.record(RecordedCall(method: request.method.rawValue, target: request.head.path ?? "/", headers: [], body: []))
            return Self.json(["ignored_body": true])
        }
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024 * 1024)
        let bytes = Array(body.readableBytesView)
        let target = request.head.path ?? "/"
        // swift-http-types carries Host as the :authority pseudo-header; show it like any other header.
        let headers =
            [(name: "host", value: request.head.authority ?? "")] + request.headers.map { (name: $0.name.rawName, value: $0.value) }
        let n = upstream.record(RecordedCall(method: request.method.rawValue, target: target, headers: headers, body: bytes))

        if let delay = request.headers[HTTPField.Name("x-mock-delay-ms")!].flatMap(Int.init) {
            try await Task.sleep(for: .milliseconds(delay))
        }
        let faults = MockFaults(request.headers)
        if let status = request.headers[HTTPField.Name("x-mock-status")!].flatMap(Int.init), status >= 400 {
            var response = Self.json(
                ["error": ["message": "mock upstream error \(status)", "type": "mock_error", "code": "\(status)"]],
                status: HTTPResponse.Status(code: status))
            if let seconds = faults.retryAfter {
                // As OpenAI sends them on a 429: when to retry, and the rate-limit state.
                response.headers[.retryAfter] = seconds
                response.headers[HTTPField.Name("x-ratelimit-remaining-requests")!] = "0"
            }
            return response
        }
        if request.headers[HTTPField.Name("x-mock-gzip")!] != nil {
            // Ignores Accept-Encoding and compresses anyway, as some servers do.
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: MockAnswers.gzippedEmptyObject)))
        }
        let path = String(target.split(separator: "?", maxSplits: 1).first ?? "/")
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        let chunkDelay = faults.chunkDelayMs
        let stream = StreamFaults(
            delayMs: chunkDelay,
            dropAfter: faults.dropAfterEvents ?? request.headers[HTTPField.Name("x-mock-drop-after")!].flatMap(Int.init),
            errorEvent: request.headers[HTTPField.Name("x-mock-stream-error")!] != nil)

        switch (request.method, path) {
        case (.post, "/v1/chat/completions"):
            let answer = MockAnswers.answer(to: MockAnswers.lastUserText(json))
            if json["stream"] as? Bool == true {
                let includeUsage = (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
                return Self.sse(
                    MockAnswers.chatChunks(
                        id: "chatcmpl-mock-\(n)", model: json["model"] as? String, answer: answer, includeUsage: includeUsage),
                    faults: stream)
            }
            return Self.json(
                MockAnswers.chatCompletion(
                    id: "chatcmpl-mock-\(n)", model: json["model"] as? String, prompt: MockAnswers.lastUserText(json), answer: answer),
                faults: faults)
        case (.post, "/v1/completions"):
            let prompt = json["prompt"] as? String ?? ""
            return Self.json(MockAnswers.textCompletion(id: "cmpl-mock-\(n)", model: json["model"] as? String, prompt: prompt))
        case (.post, "/v1/responses"):
            let input = (json["input"] as? String) ?? MockAnswers.lastUserText(["messages": json["input"] ?? []])
            let response = MockAnswers.response(id: "resp_mock_\(n)", model: json["model"] as? String, input: input)
            if json["stream"] as? Bool == true {
                return Self.sse(MockAnswers.responseEvents(response), faults: stream, done: false)
            }
            return Self.json(response)
        case (.post, "/v1/audio/speech"):
            // Deterministic "audio": an ID3 header, then bytes derived from the input and the call number.
            let audio = Array("ID3".utf8) + Array("speech \(n): \(json["input"] as? String ?? "")".utf8) + (0..<512).map { UInt8($0 % 251) }
            let format = json["response_format"] as? String ?? "mp3"
            return Response(
                status: .ok, headers: [.contentType: format == "mp3" ? "audio/mpeg" : "audio/\(format)"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: audio)))
        case (.post, "/v1/audio/transcriptions"):
            return Self.json([
                "text": "transcript \(n) of \(bytes.count) bytes", "usage": ["type": "duration", "seconds": 3],
            ])
        case (.post, "/v1/images/generations"):
            return Self.json([
                "created": 1_764_000_000,
                "data": [["url": "https://images.mock/img-\(n).png", "revised_prompt": json["prompt"] as? String ?? ""]],
                "usage": ["input_tokens": 12, "output_tokens": 4160, "total_tokens": 4172],
            ])
        case (.post, "/v1/embeddings"):
            let delay = upstream.embeddingDelayMilliseconds.load(ordering: .relaxed)
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            return Self.json(MockAnswers.embeddings(model: json["model"] as? String, input: json["input"]))
        case (.get, "/v1/models"):
            return Self.json(MockAnswers.models)
        case (.post, "/v1/videos"):
            return Self.json(MockAnswers.video(id: "video_mock\(n):openai", status: "queued", prompt: json["prompt"] as? String))
        default:
            if request.method == .post, path.hasPrefix("/v1/videos/"), path.hasSuffix("/remix") {
                return Self.json(MockAnswers.video(id: "video_mock\(n):openai", status: "queued", prompt: json["prompt"] as? String))
            }
            if request.method == .get, path.hasPrefix("/v1/videos/"), path.hasSuffix("/content") {
                return Response(
                    status: .ok, headers: [.contentType: "video/mp4"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })))
            }
            if request.method == .get, path.hasPrefix("/v1/videos/") {
                let id = String(path.dropFirst("/v1/videos/".count))
                let status = request.headers[HTTPField.Name("x-mock-video-status")!] ?? "completed"
                return Self.json(MockAnswers.video(id: id.removingPercentEncoding ?? id, status: status, prompt: nil))
            }
            return Self.json([
                "echo": true, "method": request.method.rawValue, "target": target,
                "headers": Dictionary(headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, b in a + "," + b }),
                "body": String(decoding: bytes, as: UTF8.self), "body_bytes": bytes.count,
            ])
        }
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// What a test asks a stream to do wrong: pause between events, drop the connection, end in an error event.
    struct StreamFaults {
        var delayMs = 0
        var dropAfter: Int?
        var errorEvent = false
    }

    struct DroppedStream: Error {}

    /// Server-sent events, one write per event so the proxy sees them arrive separately. Events
    /// are sent as given (a Responses stream's carry their `event:` line); chat ones get `data: `.
    static func sse(_ events: [String], faults: StreamFaults, done: Bool = true) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for (i, event) in events.enumerated() {
                    if let drop = faults.dropAfter, i >= drop { throw DroppedStream() }
                    if faults.errorEvent, i == events.count / 2 {
                        try await writer.write(
                            ByteBuffer(string: #"data: {"error":{"message":"mock overload","type":"server_error"}}"# + "\n\n"))
                        try await writer.finish(nil)
                        return
                    }
                    try await writer.write(ByteBuffer(string: event.hasPrefix("event:") ? event : "data: \(event)\n\n"))
                    if faults.delayMs > 0 { try await Task.sleep(for: .milliseconds(faults.delayMs)) }
                }
                if done { try await writer.write(ByteBuffer(string: "data: [DONE]\n\n")) }
                try await writer.finish(nil)
            })
    }

    /// A JSON answer shaped by the request's fault headers: dropped after some bytes (with the
    /// full Content-Length promised), or sent in slow pieces.
    static func json(_ object: Any, faults: MockFaults) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        let bytes = Array(data)
        if let drop = faults.dropAfterBytes {
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: "\(bytes.count)"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(bytes: bytes.prefix(drop)))
                    try await Task.sleep(for: .milliseconds(20))  // let the prefix leave before the connection goes
                    throw MockFaults.ConnectionDropped()
                })
        }
        if faults.chunkDelayMs > 0 {
            let pieces = 8
            let size = (bytes.count + pieces - 1) / pieces
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for start in stride(from: 0, to: bytes.count, by: size) {
                        try await writer.write(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)]))
                        try await Task.sleep(for: .milliseconds(faults.chunkDelayMs))
                    }
                    try await writer.finish(nil)
                })
        }
        return json(object)
    }
}

/// Request headers that make the mock misbehave, for fault tests.
public struct MockFaults: Sendable {
    /// `x-mock-chunk-delay-ms`: pause between SSE events, or between the 8 pieces of a JSON body.
    public var chunkDelayMs: Int
    /// `x-mock-drop-after-bytes`: close the connection after this many bytes of a JSON body.
    public var dropAfterBytes: Int?
    /// `x-mock-drop-after-events`: close the connection after this many SSE events.
    public var dropAfterEvents: Int?
    /// `x-mock-retry-after`: sent as `retry-after` with an `x-mock-status` error.
    public var retryAfter: String?

    init(_ headers: HTTPFields) {
        func value(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
        chunkDelayMs = value("x-mock-chunk-delay-ms").flatMap(Int.init) ?? 0
        dropAfterBytes = value("x-mock-drop-after-bytes").flatMap(Int.init)
        dropAfterEvents = value("x-mock-drop-after-events").flatMap(Int.init)
        retryAfter = value("x-mock-retry-after")
    }

    /// Thrown from a body writer: Hummingbird then closes the connection mid-body.
    struct ConnectionDropped: Error {}
}
