import Foundation
import HeimdallCore
import HeimdallMockUpstream
import Testing

@Suite struct ExactCacheTests {
    @Test func identicalRequestIsServedFromTheCacheWithCacheDebug() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.chat("What is the capital of France?")
            #expect(first.status == 200)
            #expect(first.outcome == "miss")
            let missDebug = try #require(first.cacheDebug)
            #expect(missDebug["cache_hit"] == .bool(false))
            #expect(missDebug["hit_type"] == nil)
            #expect(missDebug["requested_provider"] == .string("openai"))
            #expect(missDebug["requested_model"] == .string("gpt-4o-mini"))
            let id = try #require(missDebug["cache_id"]?.stringValue)
            // The upstream's own extra_fields survive next to cache_debug.
            #expect(first.json?["extra_fields"]?["provider"] == .string("openai"))

            let second = try await proxy.chat("What is the capital of France?")
            #expect(second.status == 200)
            #expect(second.outcome == "hit-direct")
            let hitDebug = try #require(second.cacheDebug)
            #expect(hitDebug["cache_hit"] == .bool(true))
            #expect(hitDebug["hit_type"] == .string("direct"))
            #expect(hitDebug["cache_id"] == .string(id))
            #expect(hitDebug["requested_provider"] == .string("openai"))
            #expect(hitDebug["requested_model"] == .string("gpt-4o-mini"))
            for absent in ["provider_used", "model_used", "input_tokens", "threshold", "similarity"] {
                #expect(hitDebug[absent] == nil, "\(absent) is absent on a direct hit")
            }
            #expect(second.json?["id"] == first.json?["id"], "the stored answer, not a new one")
            #expect(second.json?["choices"] == first.json?["choices"])
            #expect(second.headers.first(name: "content-type") == "application/json")
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func normalisedTextSharesTheEntry() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("Hello World")
            let again = try await proxy.chat("  hello world \n")
            #expect(again.outcome == "hit-direct")
            #expect(proxy.mock.callCount() == 1)
        }
    }

    @Test func differentModelParametersOrNamespaceMiss() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("Q")
            #expect(try await proxy.chat("Q", model: "anthropic/claude-3-5-haiku").outcome == "miss")
            #expect(try await proxy.chat("Q", extra: #","temperature":0.2"#).outcome == "miss")
            #expect(try await proxy.chat("Q", headers: [("x-bf-cache-key", "other")]).outcome == "miss")
            #expect(try await proxy.chat("Q", headers: [("authorization", "Bearer sk-other")]).outcome == "miss")
            #expect(try await proxy.chat("Q", extra: #","user":"someone""#).outcome == "hit-direct")
            #expect(proxy.mock.callCount() == 5)
        }
    }

    @Test func otherCacheableEndpoints() async throws {
        try await ProxyHarness.with { proxy in
            let bodies = [
                ("/v1/completions", #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7}"#),
                ("/v1/responses", #"{"model":"openai/gpt-4o-mini","input":"Tell me a story"}"#),
                ("/v1/embeddings", #"{"model":"openai/text-embedding-3-small","input":["a","b"]}"#),
            ]
            for (path, body) in bodies {
                let first = try await proxy.send(path, body: body)
                #expect(first.status == 200 && first.outcome == "miss", "\(path)")
                let second = try await proxy.send(path, body: body)
                #expect(second.outcome == "hit-direct", "\(path)")
                #expect(second.cacheDebug?["cache_id"] == first.cacheDebug?["cache_id"])
                #expect(proxy.mock.callCount(path: path) == 1, "\(path)")
            }
        }
    }

    @Test func restartOnTheSameDatabaseStillHits() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mock = MockUpstream()
        let id = try await ProxyHarness.with(mock: mock, directory: directory) { proxy in
            try await proxy.chat("persist me").cacheDebug?["cache_id"]
        }
        try await ProxyHarness.with(mock: mock, directory: directory) { proxy in
            let again = try await proxy.chat("persist me")
            #expect(again.outcome == "hit-direct")
            #expect(again.cacheDebug?["cache_id"] == id)
            #expect(mock.callCount() == 1)
        }
    }

    @Test func upstreamErrorsAreRelayedAndNeverCached() async throws {
        try await ProxyHarness.with { proxy in
            let failed = try await proxy.chat("flaky", headers: [("x-mock-status", "500")])
            #expect(failed.status == 500)
            #expect(failed.json?["error"]?["message"] != nil)
            #expect(failed.outcome == "miss")
            let limited = try await proxy.chat("flaky", headers: [("x-mock-status", "429")])
            #expect(limited.status == 429)
            let retry = try await proxy.chat("flaky")
            #expect(retry.status == 200)
            #expect(retry.outcome == "miss", "the errors were not stored")
            #expect(try await proxy.chat("flaky").outcome == "hit-direct")
            #expect(proxy.mock.callCount() == 3)
        }
    }

    @Test func badJSONOnACacheableRouteIsAClearError() async throws {
        try await ProxyHarness.with { proxy in
            let response = try await proxy.send("/v1/chat/completions", body: #"{"model": "m", "messages": [}"#)
            #expect(response.status == 400)
            #expect(response.json?["error"]?["type"] == .string("invalid_request_error"))
            #expect(response.json?["error"]?["message"]?.stringValue?.contains("not valid JSON") == true)
            #expect(proxy.mock.callCount() == 0)
            // Valid JSON of the wrong shape goes to the upstream, the better judge.
            let shape = try await proxy.send("/v1/chat/completions", body: #"{"model":"m","messages":"hi"}"#)
            #expect(shape.outcome == "bypass")
            #expect(proxy.mock.callCount() == 1)
        }
    }

    @Test func oversizedRequestBodyGets413() async throws {
        try await ProxyHarness.with(configure: { $0.maxRequestBodyBytes = 1024 }) { proxy in
            let big = try await proxy.chat(String(repeating: "x", count: 4096))
            #expect(big.status == 413)
            #expect(big.json?["error"]?["message"]?.stringValue?.contains("max_request_body_bytes") == true)
            let upload = try await proxy.send("/v1/files", bodyBytes: [UInt8](repeating: 1, count: 4096))
            #expect(upload.status == 413)
            #expect(proxy.mock.callCount() == 0)
        }
    }

    @Test func compressedBodiesAreRelayedNotCached() async throws {
        try await ProxyHarness.with { proxy in
            let gzipped = try await proxy.chat("zip", headers: [("x-mock-gzip", "1")])
            #expect(gzipped.headers.first(name: "content-encoding") == "gzip")
            #expect(gzipped.body.starts(with: [0x1f, 0x8b]), "bytes untouched")
            #expect(try await proxy.chat("zip").outcome == "miss", "a compressed answer was not stored")
            #expect(proxy.mock.recordedCalls.first?.header("accept-encoding") == nil, "the proxy asks for identity bodies")
            let encodedRequest = try await proxy.send(
                "/v1/chat/completions", bodyBytes: [0x1f, 0x8b, 0x08, 0x00], headers: [("content-encoding", "gzip")])
            #expect(encodedRequest.outcome == "bypass")
        }
    }

    @Test func oversizedResponsesAreRelayedWhole() async throws {
        try await ProxyHarness.with(configure: { $0.maxResponseBytes = 256 }) { proxy in
            let first = try await proxy.chat("long answer please")
            #expect(first.status == 200)
            #expect(first.outcome == "bypass")
            #expect(first.json?["choices"] != nil, "complete, parseable body")
            #expect(try await proxy.chat("long answer please").outcome == "bypass")
            #expect(proxy.mock.callCount() == 2)
        }
    }
}
