import Foundation
import HeimdallCore
import Testing

@testable import HeimdallProxy

/// `/stats` counts exactly what clients saw (docs/behaviour.md §7).
@Suite struct StatsTests {
    /// Hashed embeddings with a threshold low enough that a reworded prompt is a semantic hit.
    static func semantic(_ c: inout HeimdallConfiguration) {
        c.embedder = .hashed
        c.threshold = 0.8
    }

    /// A scripted mix covering every outcome a client can cause here.
    static func scriptedMix(_ proxy: ProxyHarness) async throws -> [TestResponse] {
        var seen: [TestResponse] = []
        seen.append(try await proxy.chat("Tell me about the history of the Roman Empire"))
        seen.append(try await proxy.chat("Tell me about the history of the Roman Empire"))
        seen.append(try await proxy.chat("  tell me about the history of the roman empire "))
        seen.append(try await proxy.chat("Tell me about the history of the Roman Empire please"))
        seen.append(try await proxy.chat("What is a monad?", headers: [("x-bf-cache-key", "team-b")]))
        seen.append(try await proxy.chat("What is a monad?", headers: [("x-bf-cache-key", "team-b")]))
        seen.append(try await proxy.chat("What is a monad?", model: "anthropic/claude-3-5-haiku", headers: [("x-bf-cache-key", "team-b")]))
        seen.append(try await proxy.get("/v1/models"))
        seen.append(try await proxy.chat("uncached", headers: [("x-bf-cache-type", "bogus")]))
        seen.append(try await proxy.send("/v1/chat/completions", body: #"{"model": "m", "messages": [}"#))
        seen.append(try await proxy.chat("upstream fails", headers: [("x-mock-status", "500")]))
        seen.append(try await proxy.chat("stream me", extra: #","stream":true"#))
        seen.append(try await proxy.send("/v1/embeddings", body: #"{"model":"openai/text-embedding-3-small","input":"vectors"}"#))
        seen.append(try await proxy.send("/v1/embeddings", body: #"{"model":"openai/text-embedding-3-small","input":"vectors"}"#))
        return seen
    }

    @Test func everyCountEqualsWhatTheClientsObserved() async throws {
        try await ProxyHarness.with(configure: Self.semantic) { proxy in
            let seen = try await Self.scriptedMix(proxy)
            var expected = StatsSnapshot.OutcomeCounts()
            for response in seen {
                expected.total += 1
                expected[observedOutcome(response)] += 1
            }
            #expect(expected.hitSemantic == 1, "the mix includes a semantic hit")
            // The stream is a miss like any other (recorded and stored); /v1/models and the bogus type bypass.
            #expect(expected.error == 1 && expected.bypass == 2 && expected.hitDirect == 4 && expected.miss == 6)

            let stats = try await proxy.stats()
            #expect(stats.requests == expected)
            #expect(stats.hitRate == Double(expected.hits) / Double(expected.hits + expected.miss))
            #expect(stats.version == HeimdallVersion.current)
            #expect(stats.uptimeSeconds > 0)

            // Savings: the usage of every cached answer served, as the client read it.
            let hits = seen.filter { $0.outcome?.hasPrefix("hit") == true }
            func tokens(_ r: TestResponse, _ name: String) -> Int { Int(r.json?["usage"]?[name]?.doubleValue ?? 0) }
            #expect(stats.saved.upstreamCalls == hits.count)
            #expect(stats.saved.promptTokens == hits.reduce(0) { $0 + tokens($1, "prompt_tokens") })
            #expect(stats.saved.completionTokens == hits.reduce(0) { $0 + tokens($1, "completion_tokens") })
            #expect(stats.saved.totalTokens == stats.saved.promptTokens + stats.saved.completionTokens)
            #expect(stats.saved.promptTokens > 0)
            #expect(stats.saved.upstreamBytes > 0)
            #expect(stats.upstream.calls == expected.miss, "one upstream call per miss")

            // Latency samples: one per request of each outcome; upstream one per miss.
            #expect(stats.latencyMs.hitDirect.count == expected.hitDirect)
            #expect(stats.latencyMs.hitSemantic.count == expected.hitSemantic)
            #expect(stats.latencyMs.hit.count == expected.hitDirect + expected.hitSemantic)
            #expect(stats.latencyMs.miss.count == expected.miss)
            #expect(stats.latencyMs.bypass.count == expected.bypass)
            #expect(stats.latencyMs.error.count == expected.error)
            #expect(stats.latencyMs.upstream.count == expected.miss)
            #expect(stats.latencyMs.embedding.count > 0)
            for l in [stats.latencyMs.hit, stats.latencyMs.miss, stats.latencyMs.upstream] {
                #expect(l.p50 > 0 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.max)
            }

            // The semantic hit's similarity, exactly as its cache_debug reported it.
            let semanticHit = try #require(seen.first { $0.outcome == "hit-semantic" })
            let similarity = try #require(semanticHit.cacheDebug?["similarity"]?.doubleValue)
            #expect(stats.similarity.count == 1)
            #expect(abs(stats.similarity.max - similarity) < 1e-9)
            #expect(stats.similarity.buckets.map(\.count).reduce(0, +) == 1)

            // Store totals: three chat answers, one stream and one embedding stored (the 500 was not).
            #expect(stats.store.entries == 5)
            #expect(stats.store.rawBytes > 0 && stats.store.compressedBytes > 0 && stats.store.databaseBytes > 0)
            #expect(stats.store.evictions == 0 && stats.store.expirations == 0)

            // Breakdowns: per cache key and per model, for the requests that reached a lookup.
            let byKey = Dictionary(uniqueKeysWithValues: stats.byCacheKey.map { ($0.name, $0) })
            #expect(byKey["team-b"]?.requests.total == 3)
            #expect(byKey["team-b"]?.requests.hitDirect == 1)
            #expect(byKey["team-b"]?.entries == 2)
            #expect(byKey["default"]?.requests.total == 8)
            let byModel = Dictionary(uniqueKeysWithValues: stats.byModel.map { ($0.name, $0) })
            #expect(byModel["anthropic/claude-3-5-haiku"]?.requests.miss == 1)
            #expect(byModel["openai/gpt-4o-mini"]?.requests.hitSemantic == 1)
            #expect(stats.timeline.points.map(\.requests).reduce(0, +) == expected.total)
            #expect(stats.timeline.points.map(\.hits).reduce(0, +) == expected.hits)
        }
    }

    @Test func statsJSONUsesTheDocumentedNames() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("names")
            let response = try await proxy.admin("/stats")
            #expect(response.headers.first(name: "content-type") == "application/json")
            let json = try #require(response.json)
            let documented = try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/stats.md"),
                encoding: .utf8)
            // Every top-level and second-level name served is documented, and vice versa for the top level.
            for (key, value) in json.objectMembers ?? [] {
                #expect(documented.contains("`\(key)`"), "docs/stats.md lacks \(key)")
                for (inner, _) in value.objectMembers ?? [] where !["by_cache_key", "by_model"].contains(key) {
                    #expect(documented.contains("`\(inner)`"), "docs/stats.md lacks \(key).\(inner)")
                }
            }
            for key in [
                "version", "started_at", "uptime_seconds", "requests", "hit_rate", "latency_ms", "similarity", "saved", "upstream",
                "store", "by_cache_key", "by_model", "timeline",
            ] {
                #expect(json[key] != nil, "/stats lacks \(key)")
            }
            for outcome in RequestOutcome.allCases {
                #expect(json["requests"]?[outcome.rawValue] != nil, "requests.\(outcome.rawValue)")
            }
        }
    }
}

@Suite struct LatencySamplesTests {
    @Test func percentilesAreNearestRankAndExactWithinCapacity() {
        var samples = LatencySamples(capacity: 1000)
        for ms in 1...100 { samples.add(milliseconds: Double(ms)) }
        let summary = samples.summary()
        #expect(summary.count == 100)
        #expect(summary.p50 == 50 && summary.p90 == 90 && summary.p99 == 99 && summary.max == 100)
        #expect(summary.mean == 50.5)
    }

    @Test func pastCapacityCountsStayExactAndPercentilesClose() {
        var samples = LatencySamples(capacity: 2000)
        for i in 0..<100_000 { samples.add(milliseconds: Double(i % 1000)) }
        let summary = samples.summary()
        #expect(summary.count == 100_000)
        #expect(summary.max == 999)
        #expect(abs(summary.p50 - 500) < 40, "\(summary.p50)")
        #expect(abs(summary.p99 - 990) < 15, "\(summary.p99)")
    }

    @Test func similarityBucketsAreUpperBounds() {
        var histogram = SimilarityHistogram()
        for value in [0.97, 0.9701, 1.0, 0.3] { histogram.add(value) }
        let summary = histogram.summary()
        let counts = Dictionary(uniqueKeysWithValues: summary.buckets.map { ($0.le, $0.count) })
        #expect(counts[0.97] == 1 && counts[0.975] == 1 && counts[1.0] == 1 && counts[0.5] == 1)
        #expect(summary.count == 4 && summary.min == 0.3 && summary.max == 1.0)
    }
}
