import HeimdallCore
import Testing

@Suite struct MultipartFormTests {
    let body = Array(
        ("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nword\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nsegment\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n--not-a-boundary\r\n"
            + "--XyZ--\r\n").utf8)

    @Test func parsesFieldsAndFiles() throws {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"XyZ\"") == "XyZ")
        #expect(MultipartForm.boundary(contentType: "application/json") == nil)
        let form = try #require(MultipartForm(body: body, boundary: "XyZ"))
        #expect(form.parts.map(\.name) == ["model", "timestamp_granularities[]", "timestamp_granularities[]", "file"])
        #expect(Array(form.parts[3].body) == Array("RIFF\r\n--not-a-boundary".utf8), "a delimiter only counts after CRLF")
        #expect(form.parts[3].filename == "a.wav")
        let document = form.keyDocument
        #expect(document["model"] == .string("whisper-1"))
        #expect(document["timestamp_granularities[]"] == .array([.string("word"), .string("segment")]))
        #expect(document["file"]?.stringValue?.hasPrefix("sha256:") == true)
    }

    @Test func malformedBodiesAreRejectedNotCrashedOn() {
        #expect(MultipartForm(body: Array("garbage".utf8), boundary: "XyZ") == nil)
        #expect(MultipartForm(body: Array("--XyZ\r\nContent-Disposition: form-data".utf8), boundary: "XyZ") == nil)
        #expect(MultipartForm(body: [], boundary: "XyZ") == nil)
        #expect(MultipartForm(body: Array(body.prefix(40)), boundary: "XyZ") == nil)
    }

    @Test func routeFamiliesCoverEveryCacheableEndpoint() {
        #expect(RouteFamily.classify(method: "POST", path: "/v1/audio/speech") == .audioSpeech)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/audio/transcriptions") == .audioTranscriptions)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/images/generations") == .imageGenerations)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/videos") == .videoCreate)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/videos/video_1:openai/remix") == .videoRemix)
        #expect(RouteFamily.classify(method: "GET", path: "/v1/videos/video_1") == nil)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/images/edits") == nil)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/audio/translations") == nil)
        #expect(RouteFamily.remixedVideoID(path: "/v1/videos/video_1%3Aopenai/remix?x=1") == "video_1%3Aopenai")
        #expect(!RouteFamily.audioTranscriptions.allowsSemantic)
        #expect(RouteFamily.imageGenerations.allowsSemantic)
    }
}

@Suite struct VideoJobTests {
    @Test func aJobIsReusableUntilItFailsOrExpires() throws {
        let queued = try #require(VideoJob(body: Array(#"{"id":"video_1:openai","status":"queued"}"#.utf8)))
        #expect(queued.id == "video_1:openai")
        #expect(queued.isReusable(now: 2_000_000_000))
        let done = try #require(VideoJob(body: Array(#"{"id":"v","status":"completed","expires_at":1764003600}"#.utf8)))
        #expect(done.isReusable(now: 1_764_000_000))
        #expect(!done.isReusable(now: 1_764_003_600), "expired at expires_at")
        #expect(!(VideoJob(body: Array(#"{"id":"v","status":"failed"}"#.utf8))?.isReusable(now: 0) ?? true))
        #expect(VideoJob(body: Array(#"{"status":"queued"}"#.utf8)) == nil, "no id, nothing to hand out")
    }
}
