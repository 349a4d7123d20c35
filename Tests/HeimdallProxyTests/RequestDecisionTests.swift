import HTTPTypes
import HeimdallCore
import HeimdallStore
import Testing

@testable import HeimdallProxy

/// The request path's decisions as values, without a socket: what a request head plans
/// (`CachePlan`) and whether a miss's answer is stored (`StoreDecision`).
@Suite struct CachePlanTests {
    static func plan(
        _ method: String = "POST", _ target: String = "/v1/chat/completions", _ headers: [(String, String)] = [],
        defaultCacheKey: String = "default", cacheVideos: Bool = false
    ) -> CachePlan {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return CachePlan(
            method: method, target: target, headers: CacheRelevantHeaders(fields), defaultCacheKey: defaultCacheKey,
            cacheVideos: cacheVideos)
    }

    static func cacheKey(_ plan: CachePlan) -> String? {
        if case .cache(_, _, let key) = plan { return key }
        return nil
    }

    @Test func cacheableRoutesUseTheDefaultKeyOrTheHeader() {
        #expect(Self.cacheKey(Self.plan()) == "default")
        #expect(Self.cacheKey(Self.plan(_: "POST", "/v1/chat/completions", [("x-bf-cache-key", "app")])) == "app")
        guard case .cache(let route, _, _) = Self.plan(_: "POST", "/v1/embeddings") else {
            Issue.record("embeddings are cacheable")
            return
        }
        #expect(route == .embeddings)
    }

    @Test func everythingElseIsForwarded() {
        #expect(Self.plan("GET", "/v1/models") == .forward)
        #expect(Self.plan("GET", "/v1/chat/completions") == .forward, "only POST is cached")
        #expect(Self.plan("POST", "/v1/files") == .forward)
        #expect(Self.plan("POST", "/openai/v1/chat/completions") == .forward, "provider-prefixed twins pass through")
        #expect(Self.plan(defaultCacheKey: "") == .forward, "no key, no caching")
        #expect(Self.plan(_: "POST", "/v1/chat/completions", [("x-bf-cache-type", "Direct")]) == .forward, "case-sensitive type")
        #expect(Self.plan(_: "POST", "/v1/chat/completions", [("content-encoding", "gzip")]) == .forward)
        #expect(Self.cacheKey(Self.plan(_: "POST", "/v1/chat/completions", [("content-encoding", "identity")])) == "default")
    }

    @Test func videoJobsAreCachedOnlyWhenAskedFor() {
        #expect(Self.plan("POST", "/v1/videos") == .forward)
        #expect(Self.cacheKey(Self.plan("POST", "/v1/videos", cacheVideos: true)) == "default")
        #expect(Self.cacheKey(Self.plan(_: "POST", "/v1/videos", [("x-bf-cache-key", "clips")])) == "clips")
    }

    @Test func directivesTravelWithThePlan() {
        guard
            case .cache(_, let directives, _) = Self.plan(
                _: "POST", "/v1/chat/completions", [("x-bf-cache-type", "semantic"), ("x-bf-cache-no-store", "true")])
        else {
            Issue.record("cacheable")
            return
        }
        #expect(directives.lookup == .semanticOnly)
        #expect(directives.noStore)
    }
}

@Suite struct StoreDecisionTests {
    static func decide(
        status: Int = 200, noStore: Bool = false, encoding: String = "identity", route: RouteFamily = .chatCompletions,
        body: String = "{}", now: Double = 1_000
    ) -> StoreDecision {
        StoreDecision(status: status, noStore: noStore, contentEncoding: encoding, route: route, body: Array(body.utf8), now: now)
    }

    @Test func completeSuccessfulAnswersAreStored() {
        #expect(Self.decide() == .store)
        #expect(Self.decide(status: 201) == .store)
    }

    @Test func errorsNoStoreAndEncodedBodiesAreNot() {
        for status in [199, 301, 400, 429, 500, 503] { #expect(Self.decide(status: status) == .skip(.notSuccessful), "\(status)") }
        #expect(Self.decide(noStore: true) == .skip(.noStore))
        #expect(Self.decide(encoding: "gzip") == .skip(.encoded))
    }

    @Test func videoJobsOnlyWhileTheyCanBeServed() {
        let live = #"{"id":"video_1","status":"queued","expires_at":2000}"#
        #expect(Self.decide(route: .videoCreate, body: live) == .store)
        #expect(Self.decide(route: .videoCreate, body: live, now: 2_001) == .skip(.videoJobNotReusable), "expired")
        #expect(Self.decide(route: .videoRemix, body: #"{"id":"video_1","status":"failed"}"#) == .skip(.videoJobNotReusable))
        #expect(Self.decide(route: .videoCreate, body: "not json") == .skip(.videoJobNotReusable))
    }
}

@Suite struct SemanticVerdictTests {
    static let hitGuard = HitQualityGuard(checks: [.numbers, .negation, .antonyms])

    static func entry(prompt: String?) -> StoredResponse {
        StoredResponse(id: "e1", status: 200, headers: [], body: Array("{}".utf8), isStream: false, prompt: prompt)
    }

    @Test func aLiveEntryTheGuardAcceptsIsServed() {
        let verdict = SemanticVerdict(
            query: "user: Why is my laptop not charging", entry: Self.entry(prompt: "user: Why is my laptop not charging?"),
            similarity: 0.99, hitGuard: Self.hitGuard)
        #expect(verdict == .serve)
    }

    @Test func aGoneEntryLeavesTheIndex() {
        #expect(SemanticVerdict(query: "user: a", entry: nil, similarity: 0.99, hitGuard: Self.hitGuard) == .gone)
    }

    @Test func theGuardVetoesNumbersAndNegation() {
        #expect(
            SemanticVerdict(
                query: "user: How far can I drive on 5 gallons?", entry: Self.entry(prompt: "user: How far can I drive on 50 gallons?"),
                similarity: 0.98, hitGuard: Self.hitGuard) == .vetoed(.numbers))
        #expect(
            SemanticVerdict(
                query: "user: Why is my laptop charging?", entry: Self.entry(prompt: "user: Why is my laptop not charging?"),
                similarity: 0.98, hitGuard: Self.hitGuard) == .vetoed(.negation))
    }

    @Test func anEntryWithoutAStoredPromptCannotBeCheckedAndIsServed() {
        #expect(SemanticVerdict(query: "user: a", entry: Self.entry(prompt: nil), similarity: 0.99, hitGuard: Self.hitGuard) == .serve)
    }
}
