import Testing

@testable import HeimdallCore

@Suite struct CacheDirectivesTests {
    static func directives(_ headers: [String: String], defaultKey: String = "default") -> CacheDirectives {
        CacheDirectives(header: { headers[$0] }, defaultCacheKey: defaultKey)
    }

    @Test func defaultsCacheWithTheDefaultKey() {
        let d = Self.directives([:])
        #expect(d == CacheDirectives(cacheKey: "default"))
        #expect(d.isCaching)
        #expect(!Self.directives([:], defaultKey: "").isCaching)
        #expect(Self.directives(["x-bf-cache-key": "k"], defaultKey: "").cacheKey == "k")
    }

    @Test(arguments: [
        ("30s", 30.0), ("300", 300), ("5m", 300), ("1h30m", 5400), ("1.5h", 5400), ("250ms", 0.25), ("2h0m0s", 7200),
    ])
    func ttlAcceptsGoDurationsAndSeconds(text: String, seconds: Double) {
        #expect(Self.directives(["x-bf-cache-ttl": text]).ttlSeconds == seconds)
    }

    @Test(arguments: ["0", "-5", "-1m", "abc", "5x", "", "m", "1.2.3s"])
    func invalidOrNonPositiveTTLFallsBackToTheDefault(text: String) {
        #expect(Self.directives(["x-bf-cache-ttl": text]).ttlSeconds == nil)
    }

    @Test func thresholdIsClamped() {
        #expect(Self.directives(["x-bf-cache-threshold": "0.9"]).threshold == 0.9)
        #expect(Self.directives(["x-bf-cache-threshold": "7"]).threshold == 1)
        #expect(Self.directives(["x-bf-cache-threshold": "-1"]).threshold == 0)
        #expect(Self.directives(["x-bf-cache-threshold": "high"]).threshold == nil)
    }

    @Test func typeIsCaseSensitiveAndUnknownDisablesCaching() {
        #expect(Self.directives(["x-bf-cache-type": "direct"]).lookup == .directOnly)
        #expect(Self.directives(["x-bf-cache-type": "semantic"]).lookup == .semanticOnly)
        #expect(Self.directives(["x-bf-cache-type": "Direct"]).lookup == .disabled)
        #expect(!Self.directives(["x-bf-cache-type": "both"]).isCaching)
    }

    @Test func noStoreNeedsTheLiteralTrue() {
        #expect(Self.directives(["x-bf-cache-no-store": "true"]).noStore)
        #expect(!Self.directives(["x-bf-cache-no-store": "True"]).noStore)
        #expect(!Self.directives(["x-bf-cache-no-store": "1"]).noStore)
    }
}
