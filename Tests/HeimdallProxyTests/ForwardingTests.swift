import AsyncHTTPClient
import Foundation
import HeimdallCore
import NIOCore
import Testing

/// Everything that is not cached must reach the upstream and come back unchanged (docs/behaviour.md §2).
@Suite struct ForwardingTests {
    @Test func getWithQueryStringAndHeadersPassesThrough() async throws {
        try await ProxyHarness.with { proxy in
            let models = try await proxy.get("/v1/models")
            #expect(models.status == 200)
            #expect(models.outcome == "bypass")
            #expect(models.cacheDebug == nil)
            #expect(models.json?["data"]?.arrayValue?.count == 2)

            let echo = try await proxy.get(
                "/v1/files?purpose=batch&limit=2&after=file%3Aabc",
                headers: [("authorization", "Bearer sk-test"), ("x-bf-vk", "sk-bf-1"), ("x-custom", "kept"), ("connection", "keep-alive")])
            #expect(echo.json?["target"] == .string("/v1/files?purpose=batch&limit=2&after=file%3Aabc"))
            #expect(echo.json?["headers"]?["authorization"] == .string("Bearer sk-test"))
            #expect(echo.json?["headers"]?["x-bf-vk"] == .string("sk-bf-1"))
            #expect(echo.json?["headers"]?["x-custom"] == .string("kept"))
            let host = try #require(echo.json?["headers"]?["host"]?.stringValue)
            #expect(proxy.mock.recordedCalls.count == 2)
            #expect(!proxy.proxyURL.hasSuffix(host), "Host is rewritten to the upstream's")
        }
    }

    @Test(arguments: [
        "/v1/videos/video_abc123:openai/remix", "/v1/videos/video_abc123%3Aopenai/remix", "/v1/batches/batch_1:openai/cancel",
        "/openai/v1/chat/completions", "/anthropic/v1/messages", "/genai/v1beta/models/gemini-pro:generateContent",
        "/api/providers", "/v1/rerank", "/v1/ocr",
    ])
    func postPathsPassThroughByteForByte(path: String) async throws {
        try await ProxyHarness.with { proxy in
            let response = try await proxy.send(path, body: #"{"prompt":"x"}"#)
            #expect(response.status == 200)
            let call = try #require(proxy.mock.recordedCalls.last)
            #expect(call.target == path)
            #expect(call.method == "POST")
            #expect(call.body == Array(#"{"prompt":"x"}"#.utf8))
        }
    }

    @Test func remixReturnsTheJobObject() async throws {
        try await ProxyHarness.with { proxy in
            let remix = try await proxy.send("/v1/videos/video_abc123:openai/remix", body: #"{"prompt":"make it blue"}"#)
            #expect(remix.json?["object"] == .string("video"))
            #expect(remix.json?["id"]?.stringValue?.hasSuffix(":openai") == true)
            let get = try await proxy.get("/v1/videos/video_abc123%3Aopenai")
            #expect(get.json?["id"] == .string("video_abc123:openai"))
            let content = try await proxy.get("/v1/videos/video_abc123:openai/content")
            #expect(content.headers.first(name: "content-type") == "video/mp4")
            #expect(content.body.count == 4096)
        }
    }

    @Test func binaryMultipartBodiesPassThroughUnchanged() async throws {
        try await ProxyHarness.with { proxy in
            let boundary = "heimdall-boundary"
            var body = Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8
            )
            body += (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            body += Array(
                "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--\(boundary)--\r\n".utf8)
            let response = try await proxy.send(
                "/v1/audio/transcriptions", bodyBytes: body, headers: [("content-type", "multipart/form-data; boundary=\(boundary)")])
            #expect(response.status == 200)
            #expect(proxy.mock.recordedCalls.last?.body == body)
            #expect(proxy.mock.recordedCalls.last?.header("content-type") == "multipart/form-data; boundary=\(boundary)")
        }
    }

    @Test func upstreamStatusAndErrorBodiesPassThrough() async throws {
        try await ProxyHarness.with { proxy in
            let response = try await proxy.get("/v1/models", headers: [("x-mock-status", "404")])
            #expect(response.status == 404)
            #expect(response.json?["error"]?["message"] == .string("mock upstream error 404"))
        }
    }

    @Test func serverSentEventsAreRelayedAsTheyArrive() async throws {
        try await ProxyHarness.with { proxy in
            var request = HTTPClientRequest(url: proxy.proxyURL + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "x-mock-chunk-delay-ms", value: "40")
            request.body = .bytes(
                ByteBuffer(string: #"{"model":"m","stream":true,"messages":[{"role":"user","content":"stream please"}]}"#))
            let started = ContinuousClock.now
            let response = try await ProxyHarness.client.execute(request, timeout: .seconds(30))
            #expect(response.headers.first(name: "content-type") == "text/event-stream")
            #expect(response.headers.first(name: "x-heimdall-cache") == "miss")
            var arrivals: [Duration] = []
            var text = ""
            for try await chunk in response.body {
                arrivals.append(ContinuousClock.now - started)
                text += String(buffer: chunk)
            }
            let total = try #require(arrivals.last)
            #expect(arrivals.count > 10, "chunks arrive separately, not as one buffered body")
            // The mock waits 40 ms after each event: relayed live, the first event arrives at least half
            // those pauses before the end, however slow a loaded machine makes the start.
            let pauses = Duration.milliseconds(40 * (arrivals.count / 2))
            #expect(total - arrivals[0] >= pauses, "first event long before the stream ends: \(arrivals[0]) of \(total)")
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            #expect(text.components(separatedBy: "data: ").count > 10)
        }
    }

    @Test func upstreamDownIs502InOpenAIShape() async throws {
        try await ProxyHarness.with(configure: { $0.upstream = "http://127.0.0.1:1" }) { proxy in
            for response in [try await proxy.chat("anyone there?"), try await proxy.get("/v1/models")] {
                #expect(response.status == 502)
                #expect(response.json?["error"]?["type"] == .string("upstream_unavailable"))
                #expect(response.json?["error"]?["message"]?.stringValue?.isEmpty == false)
            }
        }
    }

    @Test func upstreamTimeoutIs504InOpenAIShape() async throws {
        try await ProxyHarness.with(configure: { $0.upstreamTimeoutSeconds = 1 }) { proxy in
            // 1 s, not less: on a loaded 2-core machine a healthy answer can take a few hundred ms.
            let response = try await proxy.chat("slow", headers: [("x-mock-delay-ms", "4000")])
            #expect(response.status == 504)
            #expect(response.json?["error"]?["type"] == .string("upstream_timeout"))
            let after = try await proxy.chat("slow")
            #expect(after.status == 200, "the proxy stays healthy and nothing was cached: \(after.text)")
        }
    }

    @Test func adminHealthAndReadiness() async throws {
        try await ProxyHarness.with { proxy in
            let health = try await proxy.get("/healthz", base: proxy.adminURL)
            #expect(health.status == 200)
            #expect(health.json?["status"] == .string("ok"))
            let ready = try await proxy.get("/readyz", base: proxy.adminURL)
            #expect(ready.status == 200)
        }
    }
}

@Suite struct EarlyAnswerTests {
    @Test("an upstream that answers before reading the body leaves the proxy healthy", arguments: [200_000, 3_000_000])
    func upstreamAnswersBeforeReadingTheBody(size: Int) async throws {
        try await ProxyHarness.with { proxy in
            for _ in 0..<3 {
                let response = try? await proxy.send(
                    "/v1/files", bodyBytes: [UInt8](repeating: 0x61, count: size),
                    headers: [("x-mock-ignore-body", "1"), ("content-type", "application/octet-stream")])
                if let response { #expect(response.status == 200) }
            }
            let after = try await proxy.chat("still alive?")
            #expect(after.status == 200)
        }
    }
}
