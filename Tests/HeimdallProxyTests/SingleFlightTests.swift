import Foundation
import HeimdallCore
import HeimdallMockUpstream
import Testing

/// Concurrent identical misses make one upstream call (docs/behaviour.md §6).
@Suite struct SingleFlightTests {
    @Test func twentyConcurrentIdenticalRequestsMakeOneUpstreamCall() async throws {
        try await ProxyHarness.with { proxy in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await proxy.chat("What is single flight?", headers: [("x-mock-delay-ms", "400")]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)
            #expect(responses.allSatisfy { $0.status == 200 })
            let ids = Set(responses.compactMap { $0.json?["id"]?.stringValue })
            #expect(ids.count == 1, "everyone got the leader's answer")
            #expect(responses.filter { $0.outcome == "miss" }.count == 1)
            #expect(responses.filter { $0.outcome == "hit-direct" }.count == 19)
            let cacheIDs = Set(responses.compactMap { $0.cacheDebug?["cache_id"]?.stringValue })
            #expect(cacheIDs.count == 1)
            for follower in responses where follower.outcome == "hit-direct" {
                #expect(follower.cacheDebug?["hit_type"] == .string("direct"))
            }
        }
    }

    @Test func followersOfASemanticHitAreServedAsSemanticHits() async throws {
        let mock = MockUpstream()
        try await ProxyHarness.with(
            mock: mock,
            configure: { c in
                c.embedder = .upstream
                c.threshold = 0.9
            }
        ) { proxy in
            let first = try await proxy.chat("What is the capital of France?")
            #expect(first.outcome == "miss")
            let storedID = try #require(first.cacheDebug?["cache_id"]?.stringValue)
            // The leader's embedding call takes 400 ms, so the others join its flight.
            mock.embeddingDelayMilliseconds.store(400, ordering: .relaxed)
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await proxy.chat("What is the capital of France ?") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(mock.callCount(path: "/v1/chat/completions") == 1)
            #expect(mock.callCount(path: "/v1/embeddings") == 2, "one for the stored prompt, one for the leader")
            for response in responses {
                #expect(response.status == 200)
                #expect(response.outcome == "hit-semantic", "header agrees with cache_debug")
                #expect(response.cacheDebug?["hit_type"] == .string("semantic"))
                #expect(response.cacheDebug?["cache_id"]?.stringValue == storedID)
                #expect(response.cacheDebug?["similarity"] != nil)
            }
            let stats = try #require(try await proxy.admin("/stats").json)
            #expect(stats["requests"]?["hit_semantic"]?.doubleValue == 1, "the leader")
            #expect(stats["requests"]?["coalesced"]?.doubleValue == 7, "its followers")
        }
    }

    @Test func concurrentIdenticalStreamsShareOneUpstreamStream() async throws {
        try await ProxyHarness.with { proxy in
            let body = ProxyHarness.chatStreamBody("stream to many listeners")
            let answers = try await withThrowingTaskGroup(of: StreamedAnswer.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await proxy.stream(body: body, headers: [("x-mock-chunk-delay-ms", "30")]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)
            let texts = Set(answers.map(\.text))
            #expect(texts.count == 1)
            #expect(!(texts.first ?? "").isEmpty)
            for answer in answers {
                #expect(answer.endsWithDone)
                #expect(answer.debugIndices == [answer.events.count - 2])
            }
            #expect(answers.filter { $0.outcome == "miss" }.count == 1)
        }
    }

    @Test func aFailedLeaderReleasesFollowersToTryThemselves() async throws {
        try await ProxyHarness.with { proxy in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await proxy.chat("this will fail", headers: [("x-mock-delay-ms", "200"), ("x-mock-status", "500")])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == 500 }, "each caller sees the upstream's error")
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 5, "errors are not shared or cached")
            let after = try await proxy.chat("this will fail")
            #expect(after.outcome == "miss")
        }
    }

    @Test func differentTenantsDoNotShareAFlight() async throws {
        try await ProxyHarness.with { proxy in
            async let a = proxy.chat("tenant question", headers: [("authorization", "Bearer sk-a"), ("x-mock-delay-ms", "300")])
            async let b = proxy.chat("tenant question", headers: [("authorization", "Bearer sk-b"), ("x-mock-delay-ms", "300")])
            let (first, second) = try await (a, b)
            #expect(first.outcome == "miss")
            #expect(second.outcome == "miss")
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 2)
        }
    }
}

@Suite struct CoalescedStatsTests {
    @Test func followersAreCountedAsCoalesced() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await proxy.chat("counted once upstream", headers: [("x-mock-delay-ms", "400")]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stats = try await proxy.stats()
            #expect(stats.requests.miss == 1)
            #expect(stats.requests.coalesced == 4)
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)
        }
    }
}
