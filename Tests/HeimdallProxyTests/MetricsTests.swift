import Foundation
import HeimdallCore
import HeimdallProxy
import Testing

/// `/metrics`: the same numbers as `/stats`, in Prometheus text format (docs/behaviour.md §7).
@Suite struct MetricsTests {
    @Test func exposesTheStatsInPrometheusTextFormat() async throws {
        try await ProxyHarness.with(configure: StatsTests.semantic) { proxy in
            _ = try await StatsTests.scriptedMix(proxy)
            let stats = try await proxy.stats()
            let response = try await proxy.admin("/metrics")
            #expect(response.status == 200)
            #expect(response.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = try PrometheusText(response.text)

            for outcome in RequestOutcome.allCases {
                #expect(metrics.value("heimdall_requests_total", ["outcome": outcome.rawValue]) == Double(stats.requests[outcome]))
                #expect(
                    metrics.value("heimdall_request_duration_seconds_count", ["outcome": outcome.rawValue])
                        == Double(stats.requests[outcome]))
            }
            #expect(metrics.types["heimdall_requests_total"] == "counter")
            #expect(metrics.types["heimdall_request_duration_seconds"] == "histogram")
            #expect(metrics.types["heimdall_upstream_duration_seconds"] == "histogram")
            #expect(metrics.types["heimdall_semantic_similarity"] == "histogram")
            #expect(metrics.types["heimdall_cache_entries"] == "gauge")
            #expect(metrics.value("heimdall_upstream_duration_seconds_count") == Double(stats.latencyMs.upstream.count))
            #expect(metrics.value("heimdall_embedding_duration_seconds_count") == Double(stats.latencyMs.embedding.count))
            #expect(metrics.value("heimdall_semantic_similarity_count") == Double(stats.similarity.count))
            #expect(metrics.value("heimdall_tokens_saved_total", ["kind": "prompt"]) == Double(stats.saved.promptTokens))
            #expect(metrics.value("heimdall_tokens_saved_total", ["kind": "completion"]) == Double(stats.saved.completionTokens))
            #expect(metrics.value("heimdall_upstream_bytes_saved_total") == Double(stats.saved.upstreamBytes))
            #expect(metrics.value("heimdall_cache_entries") == Double(stats.store.entries))
            #expect(metrics.value("heimdall_stored_bytes", ["form": "raw"]) == Double(stats.store.rawBytes))
            #expect(metrics.value("heimdall_stored_bytes", ["form": "compressed"]) == Double(stats.store.compressedBytes))
            #expect(metrics.value("heimdall_evictions_total") == 0)
            #expect(metrics.value("heimdall_expirations_total") == 0)
            #expect(metrics.value("heimdall_build_info", ["version": HeimdallVersion.current]) == 1)
            #expect(metrics.value("heimdall_cache_key_requests_total", ["cache_key": "team-b", "outcome": "miss"]) == 2)
            #expect(metrics.value("heimdall_model_requests_total", ["model": "openai/gpt-4o-mini", "outcome": "hit_semantic"]) == 1)

            // Histogram buckets are cumulative, in seconds, ending at +Inf with the count.
            let buckets = metrics.samples.filter { $0.name == "heimdall_request_duration_seconds_bucket" && $0.labels["outcome"] == "miss" }
            #expect(buckets.count > 5)
            let values = buckets.map(\.value)
            #expect(values == values.sorted())
            #expect(buckets.last?.labels["le"] == "+Inf")
            #expect(buckets.last?.value == Double(stats.requests.miss))
            #expect(buckets.contains { $0.labels["le"] == "0.005" }, "bucket bounds are seconds")
        }
    }

    @Test func expirationsSweptShowUpInStatsAndMetrics() async throws {
        let clock = ManualClock()
        try await ProxyHarness.with(clock: clock.cacheClock) { proxy in
            _ = try await proxy.chat("short lived", headers: [("x-bf-cache-ttl", "5s")])
            clock.advance(by: 10)
            let removed = try proxy.server.store.deleteExpired()
            #expect(removed.count == 1)
            #expect(try await proxy.stats().store.expirations == 1)
            let metrics = try PrometheusText(try await proxy.admin("/metrics").text)
            #expect(metrics.value("heimdall_expirations_total") == 1)
            #expect(
                try PrometheusText(try await proxy.admin("/metrics").text).value("heimdall_expirations_total") == 1, "not double counted")
        }
    }
}
