import Foundation
import HeimdallCore
import Testing

/// The Bifrost per-request headers (docs/behaviour.md §3), end to end.
@Suite struct CacheHeaderTests {
    @Test func ttlHeaderSetsTheEntryLifetime() async throws {
        let clock = ManualClock()
        try await ProxyHarness.with(clock: clock.cacheClock, configure: { $0.ttlSeconds = 3600 }) { proxy in
            _ = try await proxy.chat("short-lived", headers: [("x-bf-cache-ttl", "30s")])
            _ = try await proxy.chat("long-lived")
            clock.advance(by: 29)
            #expect(try await proxy.chat("short-lived").outcome == "hit-direct")
            clock.advance(by: 2)
            #expect(try await proxy.chat("short-lived").outcome == "miss", "expired after 30 s")
            #expect(try await proxy.chat("long-lived").outcome == "hit-direct", "default TTL of 1 h still running")
            _ = try await proxy.chat("seconds", headers: [("x-bf-cache-ttl", "10")])
            clock.advance(by: 11)
            #expect(try await proxy.chat("seconds").outcome == "miss")
            _ = try await proxy.chat("invalid ttl", headers: [("x-bf-cache-ttl", "-5")])
            clock.advance(by: 100)
            #expect(try await proxy.chat("invalid ttl").outcome == "hit-direct", "invalid TTL falls back to the default")
        }
    }

    @Test func noStoreLooksUpButNeverStores() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.chat("q", headers: [("x-bf-cache-no-store", "true")])
            #expect(first.outcome == "miss")
            #expect(first.cacheDebug?["cache_hit"] == .bool(false))
            #expect(try await proxy.chat("q").outcome == "miss", "nothing was stored")
            #expect(try await proxy.chat("q", headers: [("x-bf-cache-no-store", "true")]).outcome == "hit-direct")
            _ = try await proxy.chat("r", headers: [("x-bf-cache-no-store", "yes")])
            #expect(try await proxy.chat("r").outcome == "hit-direct", "only the literal true disables storing")
        }
    }

    @Test func cacheTypeSelectsLookupsAndUnknownValuesBypass() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("typed")
            #expect(try await proxy.chat("typed", headers: [("x-bf-cache-type", "direct")]).outcome == "hit-direct")
            let semanticOnly = try await proxy.chat("typed", headers: [("x-bf-cache-type", "semantic")])
            #expect(semanticOnly.outcome == "hit-semantic", "no direct lookup when only semantic is asked for")
            #expect(semanticOnly.cacheDebug?["hit_type"] == .string("semantic"))
            #expect((semanticOnly.cacheDebug?["similarity"]?.doubleValue ?? 0) > 0.999)
            let semanticOnlyNew = try await proxy.chat("never seen", headers: [("x-bf-cache-type", "semantic")])
            #expect(semanticOnlyNew.outcome == "miss")
            #expect(semanticOnlyNew.cacheDebug?["threshold"] != nil)
            let invalid = try await proxy.chat("typed", headers: [("x-bf-cache-type", "Direct")])
            #expect(invalid.outcome == "bypass")
            #expect(invalid.cacheDebug == nil, "no cache_debug when no lookup ran")
            #expect(invalid.status == 200)
        }
    }

    @Test func cacheKeyHeaderAndEmptyDefaultKey() async throws {
        try await ProxyHarness.with(configure: { $0.defaultCacheKey = "" }) { proxy in
            let none = try await proxy.chat("k")
            #expect(none.outcome == "bypass")
            #expect(none.cacheDebug == nil)
            #expect(try await proxy.chat("k").outcome == "bypass")
            #expect(try await proxy.chat("k", headers: [("x-bf-cache-key", "team")]).outcome == "miss")
            #expect(try await proxy.chat("k", headers: [("x-bf-cache-key", "team")]).outcome == "hit-direct")
        }
    }

    @Test func virtualKeyAndAuthorizationScopeEntries() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("mine", headers: [("authorization", "Bearer sk-alice")])
            #expect(try await proxy.chat("mine", headers: [("authorization", "Bearer sk-alice")]).outcome == "hit-direct")
            #expect(try await proxy.chat("mine", headers: [("authorization", "Bearer sk-bob")]).outcome == "miss")
            _ = try await proxy.chat("vk", headers: [("x-bf-vk", "sk-bf-team1"), ("authorization", "Bearer a")])
            #expect(
                try await proxy.chat("vk", headers: [("x-bf-vk", "sk-bf-team1"), ("authorization", "Bearer b")]).outcome == "hit-direct")
            #expect(try await proxy.chat("vk", headers: [("x-bf-vk", "sk-bf-team2"), ("authorization", "Bearer a")]).outcome == "miss")
        }
        let secret = "sk-bf-very-secret-virtual-key"
        let databaseBytes = try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("s", headers: [("x-bf-vk", secret), ("authorization", "Bearer \(secret)")])
            await proxy.server.shutdown()
            var bytes = Data()
            for suffix in ["", "-wal"] {
                bytes.append((try? Data(contentsOf: URL(fileURLWithPath: proxy.databasePath + suffix))) ?? Data())
            }
            return bytes
        }
        #expect(!databaseBytes.isEmpty)
        #expect(databaseBytes.range(of: Data(secret.utf8)) == nil, "credentials are never stored in clear")
    }

    @Test func sharedTenantsOptIn() async throws {
        try await ProxyHarness.with(configure: { $0.shareAcrossTenants = true }) { proxy in
            _ = try await proxy.chat("shared", headers: [("authorization", "Bearer sk-alice")])
            #expect(try await proxy.chat("shared", headers: [("authorization", "Bearer sk-bob")]).outcome == "hit-direct")
        }
    }
}

/// The `upstream` embedder: `POST {upstream}/v1/embeddings` with the caller's credentials.
@Suite struct UpstreamEmbedderTests {
    @Test func embedsThroughTheUpstreamWithTheCallersCredentials() async throws {
        try await ProxyHarness.with(configure: { c in
            c.embedder = .upstream
            c.embeddingModel = "openai/text-embedding-3-small"
            c.threshold = 0.9
        }) { proxy in
            let first = try await proxy.chat("Hello there", headers: [("authorization", "Bearer sk-caller")])
            #expect(first.outcome == "miss")
            let debug = try #require(first.cacheDebug)
            #expect(debug["provider_used"] == .string("openai"))
            #expect(debug["model_used"] == .string("text-embedding-3-small"))
            #expect(debug["input_tokens"] == .number("3"), "usage.prompt_tokens of the embedding call for \"user: Hello there\"")
            let embeddingCall = try #require(proxy.mock.recordedCalls.first { $0.target == "/v1/embeddings" })
            #expect(embeddingCall.header("authorization") == "Bearer sk-caller")
            #expect(String(decoding: embeddingCall.body, as: UTF8.self).contains("user: Hello there"))

            let again = try await proxy.chat(
                "Hello there", headers: [("authorization", "Bearer sk-caller"), ("x-bf-cache-type", "semantic")])
            #expect(again.outcome == "hit-semantic")
            #expect(again.cacheDebug?["model_used"] == .string("text-embedding-3-small"))
            #expect(proxy.mock.callCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func anEmbeddingFailureCostsTheLookupNotTheRequest() async throws {
        try await ProxyHarness.with(configure: { c in
            c.embedder = .upstream
            c.upstream = c.upstream + "/nowhere"  // embeddings 404 (echo route), chat too: both relayed
        }) { proxy in
            let response = try await proxy.chat("Hello")
            #expect(response.status == 200)
            #expect(response.cacheDebug?["provider_used"] == nil, "no embedding was computed")
        }
    }
}
