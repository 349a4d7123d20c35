import Foundation
import HeimdallCore
import Testing

/// Opt-in dedupe of video generation jobs (docs/behaviour.md §6).
@Suite struct VideoJobCacheTests {
    let create = #"{"model":"sora-2","prompt":"A calico cat playing a piano on stage","seconds":"4"}"#

    @Test func withoutOptInEveryCreateReachesTheUpstream() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.send("/v1/videos", body: create)
            let second = try await proxy.send("/v1/videos", body: create)
            #expect(first.outcome == "bypass")
            #expect(first.json?["id"] != second.json?["id"])
            #expect(proxy.mock.callCount(path: "/v1/videos") == 2)
        }
    }

    @Test func anIdenticalCreateWithACacheKeyReturnsTheSameJob() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.send("/v1/videos", body: create, headers: [("x-bf-cache-key", "videos")])
            let second = try await proxy.send("/v1/videos", body: create, headers: [("x-bf-cache-key", "videos")])
            let id = try #require(first.json?["id"]?.stringValue)
            #expect(id.hasSuffix(":openai"))
            #expect(second.outcome == "hit-direct")
            #expect(second.json?["id"] == .string(id))
            #expect(proxy.mock.callCount(path: "/v1/videos") == 1)
        }
    }

    @Test func anIdenticalRemixReturnsTheSameJobUntilAPollShowsItFailed() async throws {
        try await ProxyHarness.with(configure: { $0.cacheVideos = true }) { proxy in
            let remix = #"{"prompt":"Extend the scene with the cat taking a bow"}"#
            let first = try await proxy.send("/v1/videos/video_abc123:openai/remix", body: remix)
            let id = try #require(first.json?["id"]?.stringValue)
            let second = try await proxy.send("/v1/videos/video_abc123%3Aopenai/remix", body: remix)
            #expect(second.outcome == "hit-direct", "the percent-encoded id names the same source video")
            #expect(second.json?["id"] == .string(id))
            let otherSource = try await proxy.send("/v1/videos/video_zzz:openai/remix", body: remix)
            #expect(otherSource.outcome == "miss")
            #expect(proxy.mock.callCount() == 2)

            // Polling is relayed, never cached; a failed job is dropped.
            let poll = try await proxy.get("/v1/videos/\(id)", headers: [("x-mock-video-status", "failed")])
            #expect(poll.json?["status"] == .string("failed"))
            #expect(poll.outcome == "bypass")
            let third = try await proxy.send("/v1/videos/video_abc123:openai/remix", body: remix)
            #expect(third.outcome == "miss", "a failed job is not served again")
            #expect(third.json?["id"] != .string(id))
        }
    }

    @Test func contentDownloadsAreNeverCached() async throws {
        try await ProxyHarness.with(configure: { $0.cacheVideos = true }) { proxy in
            _ = try await proxy.get("/v1/videos/video_abc:openai/content")
            _ = try await proxy.get("/v1/videos/video_abc:openai/content")
            #expect(proxy.mock.callCount() == 2)
        }
    }
}
