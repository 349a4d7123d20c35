import AsyncHTTPClient
import Foundation
import HeimdallCore
import NIOCore
import Testing

/// Streams are relayed live, recorded, and replayed as the same chunks (docs/behaviour.md §3, §4).
@Suite struct StreamCacheTests {
    @Test func aStreamIsRecordedAndReplayedWithCacheDebugOnTheLastDataChunk() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("Tell me a story about a lighthouse")
            let first = try await proxy.stream(body: body)
            #expect(first.status == 200)
            #expect(first.outcome == "miss")
            #expect(first.endsWithDone)
            let missDebug = try #require(first.cacheDebug)
            #expect(missDebug["cache_hit"] == .bool(false))
            // Only the last data chunk before [DONE] carries it.
            #expect(first.debugIndices == [first.events.count - 2])

            let second = try await proxy.stream(body: body)
            #expect(second.outcome == "hit-direct")
            #expect(second.endsWithDone)
            #expect(second.text == first.text)
            #expect(!second.text.isEmpty)
            #expect(second.contentsWithoutDebug == first.contentsWithoutDebug, "same chunks, same order")
            #expect(second.debugIndices == [second.events.count - 2])
            let hitDebug = try #require(second.cacheDebug)
            #expect(hitDebug["cache_hit"] == .bool(true))
            #expect(hitDebug["hit_type"] == .string("direct"))
            #expect(hitDebug["cache_id"] == missDebug["cache_id"])
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)

            // `stream` is part of the key: the non-streamed twin is a different entry.
            let plain = try await proxy.chat("Tell me a story about a lighthouse")
            #expect(plain.outcome == "miss")
        }
    }

    @Test func aNearDuplicateStreamIsReplayedAsASemanticHit() async throws {
        try await ProxyHarness.with(configure: {
            $0.threshold = 0.6
            $0.hitGuard = .none
        }) { proxy in
            let first = try await proxy.stream(body: ProxyHarness.chatStreamBody("Tell me a story about a lighthouse keeper"))
            let second = try await proxy.stream(body: ProxyHarness.chatStreamBody("Tell me a story about the lighthouse keeper"))
            #expect(second.outcome == "hit-semantic")
            #expect(second.text == first.text)
            let debug = try #require(second.cacheDebug)
            #expect(debug["hit_type"] == .string("semantic"))
            #expect((debug["similarity"]?.doubleValue ?? 0) >= 0.6)
            #expect(debug["cache_id"] == first.cacheDebug?["cache_id"])
        }
    }

    @Test func usageChunkIsTheLastDataChunkAndItsTokensAreStored() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("count the stars", extra: #","stream_options":{"include_usage":true}"#)
            let first = try await proxy.stream(body: body)
            let last = try #require(first.dataEvents.last)
            #expect(last["usage"]?["prompt_tokens"] == .number("9"))
            #expect(last["extra_fields"]?["cache_debug"] != nil)
            let second = try await proxy.stream(body: body)
            #expect(second.outcome == "hit-direct")
            #expect(second.dataEvents.last?["usage"] != nil)
            #expect(second.dataEvents.last?["extra_fields"]?["cache_debug"]?["cache_hit"] == .bool(true))
        }
    }

    @Test func aResponsesStreamEndsAtCompletedAndIsReplayed() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"openai/gpt-4o","stream":true,"input":"Write a haiku about caches"}"#
            let first = try await proxy.stream("/v1/responses", body: body)
            #expect(first.outcome == "miss")
            #expect(first.events.last?.name == "response.completed")
            #expect(first.debugIndices == [first.events.count - 1])
            let second = try await proxy.stream("/v1/responses", body: body)
            #expect(second.outcome == "hit-direct")
            #expect(second.events.map(\.name) == first.events.map(\.name))
            #expect(second.text == first.text)
            #expect(second.cacheDebug?["hit_type"] == .string("direct"))
            #expect(proxy.mock.callCount(path: "/v1/responses") == 1)
        }
    }

    @Test func aStreamTheUpstreamDropsIsNotStored() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("a stream that breaks")
            await #expect(throws: (any Error).self) {
                _ = try await proxy.stream(body: body, headers: [("x-mock-drop-after", "3")])
            }
            let again = try await proxy.stream(body: body)
            #expect(again.outcome == "miss", "nothing half-stored")
            #expect(again.endsWithDone)
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 2)
        }
    }

    @Test func aStreamEndingInAnErrorEventIsNotStored() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("a stream that fails")
            let failed = try await proxy.stream(body: body, headers: [("x-mock-stream-error", "1")])
            #expect(failed.events.last?.kind == .error, "the error event reaches the client")
            let again = try await proxy.stream(body: body)
            #expect(again.outcome == "miss")
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 2)
        }
    }

    @Test func aClientThatDisconnectsMidStreamLeavesNothingStored() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("a stream nobody finishes reading")
            do {
                var request = HTTPClientRequest(url: proxy.proxyURL + "/v1/chat/completions")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "x-mock-chunk-delay-ms", value: "50")
                request.body = .bytes(ByteBuffer(string: body))
                // A client of its own, shut down after the first chunk: its connection closes mid-stream.
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                let response = try await client.execute(request, timeout: .seconds(30))
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
                try await client.shutdown()
            }
            // Let the proxy notice and the upstream finish its stream.
            try await Task.sleep(for: .milliseconds(1500))
            let again = try await proxy.stream(body: body)
            #expect(again.outcome == "miss")
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 2)
        }
    }

    @Test func noStoreStreamsAreRelayedButNotKept() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("ephemeral stream")
            let first = try await proxy.stream(body: body, headers: [("x-bf-cache-no-store", "true")])
            #expect(first.endsWithDone)
            let second = try await proxy.stream(body: body)
            #expect(second.outcome == "miss")
        }
    }
}
