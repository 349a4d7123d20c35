import AsyncHTTPClient
import Foundation
import HeimdallCore
import NIOCore
import Testing

/// Upstream faults through the real server (docs/behaviour.md §2, §3): errors and rate limits relayed with
/// their headers and never cached, broken bodies a clear 502 with nothing stored, slow bodies
/// relayed, and the proxy healthy afterwards.
@Suite struct UpstreamFaultTests {
    @Test(arguments: [429, 500, 503])
    func errorsKeepStatusHeadersAndBodyAndAreNeverCached(status: Int) async throws {
        try await ProxyHarness.with { proxy in
            let failed = try await proxy.chat("busy?", headers: [("x-mock-status", "\(status)"), ("x-mock-retry-after", "7")])
            #expect(failed.status == status)
            #expect(failed.headers.first(name: "retry-after") == "7")
            #expect(failed.headers.first(name: "x-ratelimit-remaining-requests") == "0")
            #expect(failed.json?["error"]?["message"] == .string("mock upstream error \(status)"))
            #expect(try proxy.server.store.totals().entries == 0)

            let passthrough = try await proxy.get("/v1/models", headers: [("x-mock-status", "\(status)"), ("x-mock-retry-after", "7")])
            #expect(passthrough.status == status)
            #expect(passthrough.headers.first(name: "retry-after") == "7")

            #expect(try await proxy.chat("busy?").outcome == "miss", "the error was not stored")
            #expect(try await proxy.chat("busy?").outcome == "hit-direct")
            #expect(proxy.mock.callCount() == 3, "error, passthrough error, miss; the hit never reached the upstream")
        }
    }

    @Test func connectionDroppedMidBodyIsA502AndNothingIsStored() async throws {
        try await ProxyHarness.with { proxy in
            let dropped = try await proxy.chat("half an answer", headers: [("x-mock-drop-after-bytes", "120")])
            #expect(dropped.status == 502)
            #expect(dropped.json?["error"]?["type"] == .string("upstream_unavailable"))
            #expect(dropped.json?["error"]?["message"]?.stringValue?.contains("ended early") == true, "\(dropped.text)")
            #expect(try proxy.server.store.totals().entries == 0, "a truncated body is never stored")
            let whole = try await proxy.chat("half an answer")
            #expect(whole.status == 200 && whole.outcome == "miss")
            #expect(try await proxy.chat("half an answer").outcome == "hit-direct")
        }
    }

    @Test func connectionDroppedMidStreamEndsTheClientStreamAndNothingIsStored() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"m","stream":true,"messages":[{"role":"user","content":"stream and drop"}]}"#
            var request = HTTPClientRequest(url: proxy.proxyURL + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "x-mock-drop-after-events", value: "3")
            request.headers.add(name: "x-mock-chunk-delay-ms", value: "10")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await ProxyHarness.client.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 200)
            var text = ""
            var failed = false
            do {
                for try await chunk in response.body { text += String(buffer: chunk) }
            } catch {
                failed = true
            }
            #expect(failed || !text.contains("[DONE]"), "the client can tell the stream broke: \(text)")
            #expect(text.components(separatedBy: "data: ").count - 1 <= 3, "no invented events")
            #expect(try proxy.server.store.totals().entries == 0, "a broken stream is never stored")

            let whole = try await proxy.send("/v1/chat/completions", body: body)
            #expect(whole.status == 200)
            #expect(whole.text.hasSuffix("data: [DONE]\n\n"), "the proxy stays healthy")
            #expect(try await proxy.get("/healthz", base: proxy.adminURL).status == 200)
        }
    }

    @Test func slowChunksWithinTheReadTimeoutAreRelayedAndCached() async throws {
        try await ProxyHarness.with(configure: { $0.upstreamTimeoutSeconds = 5 }) { proxy in
            // 8 pieces 700 ms apart: 5.6 s in all, longer than the timeout, but never 5 s of silence
            // (the margin keeps a loaded machine's scheduling stalls from looking like silence).
            let slow = try await proxy.chat("take your time", headers: [("x-mock-chunk-delay-ms", "700")])
            #expect(slow.status == 200)
            #expect(slow.outcome == "miss")
            #expect(slow.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue?.contains("take your time") == true)
            #expect(try await proxy.chat("take your time").outcome == "hit-direct")
        }
    }

    @Test func silenceMidBodyLongerThanTheReadTimeoutIsA504AndNothingIsStored() async throws {
        try await ProxyHarness.with(configure: { $0.upstreamTimeoutSeconds = 1 }) { proxy in
            let stalled = try await proxy.chat("stall", headers: [("x-mock-chunk-delay-ms", "3000")])
            #expect(stalled.status == 504)
            #expect(stalled.json?["error"]?["type"] == .string("upstream_timeout"))
            #expect(try proxy.server.store.totals().entries == 0)
            // A fresh proxy-side timeout would only mean this loaded machine stalled: allow one retry.
            var after = try await proxy.chat("stall")
            if after.status == 504 { after = try await proxy.chat("stall") }
            #expect(after.status == 200, "the proxy stays healthy")
        }
    }

    @Test func evictedEntriesAreMissesAgain() async throws {
        try await ProxyHarness.with(configure: { $0.maxEntries = 2 }) { proxy in
            for prompt in ["first", "second", "third"] {
                let response = try await proxy.chat(prompt)
                #expect(response.outcome == "miss")
            }
            #expect(proxy.server.store.counters.evictions == 1)
            #expect(try proxy.server.store.totals().entries == 2)
            let third = try await proxy.chat("third")
            #expect(third.outcome == "hit-direct")
            let first = try await proxy.chat("first")
            #expect(first.outcome == "miss", "the least recently used entry was evicted")
            #expect(proxy.mock.callCount() == 4)
        }
    }
}
