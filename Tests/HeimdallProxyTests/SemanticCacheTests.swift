import Foundation
import HeimdallCore
import HeimdallMockUpstream
import Testing

/// Semantic lookup with the real local model (all-MiniLM-L6-v2), end to end (docs/behaviour.md §3, §4).
/// These tests need the weights (`scripts/setup.sh` installs them); without them the server's start-up
/// error, which names `scripts/install-model.sh`, fails each test.
struct SemanticCacheTests {
    static func local(threshold: Double = 0.9) -> (inout HeimdallConfiguration) -> Void {
        { c in
            c.embedder = .local
            c.threshold = threshold
        }
    }

    @Test func paraphraseHitsWithTheContractFields() async throws {
        try await ProxyHarness.with(configure: Self.local()) { proxy in
            let first = try await proxy.chat("What is the capital of France?")
            #expect(first.outcome == "miss")
            let missDebug = try #require(first.cacheDebug)
            #expect(missDebug["provider_used"] == .string("local"))
            #expect(missDebug["model_used"] == .string("all-MiniLM-L6-v2"))
            #expect(missDebug["input_tokens"] == .number("11"))
            #expect(missDebug["threshold"]?.doubleValue == 0.9)
            #expect(missDebug["similarity"] == nil, "nothing to compare with yet")

            let paraphrase = try await proxy.chat("What's the capital city of France?")
            #expect(paraphrase.outcome == "hit-semantic")
            let debug = try #require(paraphrase.cacheDebug)
            #expect(debug["cache_hit"] == .bool(true))
            #expect(debug["hit_type"] == .string("semantic"))
            #expect(debug["cache_id"] == missDebug["cache_id"])
            #expect(debug["requested_provider"] == .string("openai"))
            #expect(debug["requested_model"] == .string("gpt-4o-mini"))
            #expect(debug["provider_used"] == .string("local"))
            #expect(debug["model_used"] == .string("all-MiniLM-L6-v2"))
            #expect(debug["input_tokens"] == .number("13"))
            #expect(debug["threshold"]?.doubleValue == 0.9)
            let similarity = try #require(debug["similarity"]?.doubleValue)
            #expect(abs(similarity - 0.9578) < 0.001, "cosine of the two prompts: \(similarity)")
            #expect(paraphrase.json?["id"] == first.json?["id"], "the stored answer")
            #expect(proxy.mock.callCount() == 1)

            let unrelated = try await proxy.chat("How do I bake sourdough bread?")
            #expect(unrelated.outcome == "miss")
            let best = try #require(unrelated.cacheDebug?["similarity"]?.doubleValue)
            #expect(best < 0.9 && best > 0, "best cosine seen on a miss: \(best)")
            #expect(try await proxy.chat("What is the capital of Germany?").outcome == "miss")
            #expect(proxy.mock.callCount() == 3)
        }
    }

    @Test func thresholdHeaderCanOnlyRaiseTheThreshold() async throws {
        try await ProxyHarness.with(configure: Self.local()) { proxy in
            _ = try await proxy.chat("What is the capital of France?")
            let strict = try await proxy.chat("What's the capital city of France?", headers: [("x-bf-cache-threshold", "0.99")])
            #expect(strict.outcome == "miss")
            #expect(strict.cacheDebug?["threshold"]?.doubleValue == 0.99)
            #expect((strict.cacheDebug?["similarity"]?.doubleValue ?? 0) > 0.95, "best similarity still reported")
            let lax = try await proxy.chat("Which city is the capital of France?", headers: [("x-bf-cache-threshold", "0.1")])
            #expect(lax.cacheDebug?["threshold"]?.doubleValue == 0.9, "never below the configured threshold")
            #expect(lax.outcome == "hit-semantic")
        }
    }

    @Test func semanticHitsSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-semantic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mock = MockUpstream()
        let id = try await ProxyHarness.with(mock: mock, directory: directory, configure: Self.local()) { proxy in
            try await proxy.chat("What is the capital of France?").cacheDebug?["cache_id"]
        }
        try await ProxyHarness.with(mock: mock, directory: directory, configure: Self.local()) { proxy in
            let again = try await proxy.chat("Which city is the capital of France?")
            #expect(again.outcome == "hit-semantic")
            #expect(again.cacheDebug?["cache_id"] == id)
            #expect(mock.callCount() == 1)
        }
    }

    @Test func lookupRulesPartitionsAndTenants() async throws {
        try await ProxyHarness.with(configure: Self.local()) { proxy in
            _ = try await proxy.chat("What is the capital of France?")
            #expect(
                try await proxy.chat("What's the capital city of France?", model: "anthropic/claude-3-5-haiku").outcome == "miss",
                "another model is another partition")
            #expect(try await proxy.chat("What's the capital city of France?", extra: #","temperature":0"#).outcome == "miss")
            #expect(
                try await proxy.chat("What's the capital city of France?", headers: [("authorization", "Bearer sk-other")]).outcome
                    == "miss",
                "another tenant")
            #expect(try await proxy.chat("What's the capital city of France?", headers: [("x-bf-cache-type", "direct")]).outcome == "miss")

            let long =
                #","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},{"role":"user","content":"What's the capital city of France?"}]"#
            let history = try await proxy.send("/v1/chat/completions", body: #"{"model":"openai/gpt-4o-mini""# + long + "}")
            #expect(history.outcome == "miss", "more than conversation_history_threshold messages: no semantic lookup")
            #expect(history.cacheDebug?["provider_used"] == nil)
        }
    }

    @Test func excludeSystemPromptEmbedsOnlyTheConversation() async throws {
        func body(_ system: String) -> String {
            #"{"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"\#(system)"},{"role":"user","content":"What is the capital of France?"}]}"#
        }
        try await ProxyHarness.with(configure: { c in
            Self.local()(&c)
            c.excludeSystemPrompt = true
        }) { proxy in
            _ = try await proxy.send("/v1/chat/completions", body: body("You are a pirate. Answer in pirate speak."))
            let other = try await proxy.send("/v1/chat/completions", body: body("Be concise."))
            #expect(other.outcome == "hit-semantic")
            #expect((other.cacheDebug?["similarity"]?.doubleValue ?? 0) > 0.999)
        }
    }

    @Test func expiredEntriesAreNeverServedSemantically() async throws {
        let clock = ManualClock()
        try await ProxyHarness.with(clock: clock.cacheClock, configure: Self.local()) { proxy in
            _ = try await proxy.chat("What is the capital of France?", headers: [("x-bf-cache-ttl", "10s")])
            clock.advance(by: 11)
            #expect(try await proxy.chat("What's the capital city of France?").outcome == "miss")
        }
    }

    @Test func missingWeightsAreAClearStartupErrorOrAFallback() async throws {
        await #expect {
            try await ProxyHarness.with(configure: { c in
                c.embedder = .local
                c.modelDir = "/nonexistent/model"
            }) { _ in }
        } throws: { error in
            "\(error)".contains("/nonexistent/model") && "\(error)".contains("install-model")
        }
        try await ProxyHarness.with(configure: { c in
            c.embedder = .local
            c.modelDir = "/nonexistent/model"
            c.embedderFallback = .directOnly
        }) { proxy in
            _ = try await proxy.chat("What is the capital of France?")
            #expect(try await proxy.chat("What is the capital of France?").outcome == "hit-direct")
            let paraphrase = try await proxy.chat("What's the capital city of France?")
            #expect(paraphrase.outcome == "miss")
            #expect(paraphrase.cacheDebug?["provider_used"] == nil)
        }
    }
}

struct HitGuardTests {
    @Test func guardVetoesNearDuplicatesThatAskDifferentThings() async throws {
        try await ProxyHarness.with(configure: { c in
            c.embedder = .local
            c.threshold = 0.8
        }) { proxy in
            _ = try await proxy.chat("How far can I drive on 5 gallons of gas?")
            let numbers = try await proxy.chat("How far can I drive on 50 gallons of gas?")
            #expect(numbers.outcome == "miss", "different numbers")
            #expect((numbers.cacheDebug?["similarity"]?.doubleValue ?? 0) >= 0.8, "similar enough to have been served without the guard")
            _ = try await proxy.chat("Why is my laptop charging?")
            #expect(try await proxy.chat("Why is my laptop not charging?").outcome == "miss", "negation")
            #expect(try await proxy.chat("Why is my laptop charging").outcome == "hit-semantic", "a real paraphrase still hits")
        }
        try await ProxyHarness.with(configure: { c in
            c.embedder = .local
            c.threshold = 0.8
            c.hitGuard = .none
        }) { proxy in
            _ = try await proxy.chat("How far can I drive on 5 gallons of gas?")
            #expect(
                try await proxy.chat("How far can I drive on 50 gallons of gas?").outcome == "hit-semantic",
                "without the guard it is served")
        }
    }
}
