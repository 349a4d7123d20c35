import HeimdallCore
import Testing

@Suite struct ServerSentEventTests {
    func events(_ text: String, chunkSize: Int) -> [ServerSentEvent] {
        var splitter = ServerSentEventSplitter()
        let bytes = Array(text.utf8)
        var out: [ServerSentEvent] = []
        var i = 0
        while i < bytes.count {
            out += splitter.push(bytes[i..<min(i + chunkSize, bytes.count)])
            i += chunkSize
        }
        return out
    }

    @Test("events are cut at blank lines however the bytes are chunked", arguments: [1, 2, 3, 7, 1000])
    func splitsAcrossChunks(chunkSize: Int) {
        let text =
            "data: {\"a\":1}\n\n: keep-alive\n\nevent: response.completed\r\ndata: {\"type\":\"response.completed\"}\r\n\r\ndata: [DONE]\n\n"
        let parsed = events(text, chunkSize: chunkSize)
        #expect(parsed.count == 4)
        #expect(parsed.map(\.bytes).reduce([], +) == Array(text.utf8), "every byte kept, in order")
        #expect(parsed[0].kind == .data)
        #expect(parsed[1].kind == .other)
        #expect(parsed[2].name == "response.completed")
        #expect(parsed[2].kind == .completed)
        #expect(parsed[3].isDone)
    }

    @Test func kindsOfChatAndResponsesEvents() {
        func kind(_ text: String) -> ServerSentEvent.Kind { ServerSentEvent(bytes: Array(text.utf8)).kind }
        #expect(kind("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n") == .data)
        #expect(kind("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n") == .final)
        #expect(kind("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}}\n\n") == .final)
        #expect(kind("data: {\"error\":{\"message\":\"boom\"}}\n\n") == .error)
        #expect(kind("event: error\ndata: {\"message\":\"boom\"}\n\n") == .error)
        #expect(kind("event: response.failed\ndata: {\"type\":\"response.failed\"}\n\n") == .error)
        #expect(kind("data: {\"type\":\"response.incomplete\"}\n\n") == .incomplete)
        #expect(kind("data: [DONE]\n\n") == .done)
        #expect(kind("retry: 100\n\n") == .other)
    }

    @Test func splicingKeepsOtherFieldsAndJoinsMultiLineData() throws {
        let event = ServerSentEvent(bytes: Array("id: 7\nevent: x\ndata: {\"a\":\ndata: 1}\n\n".utf8))
        let debug = CacheDebug(cacheHit: true, hitType: .direct, cacheID: "c1")
        let spliced = ServerSentEvent(bytes: try #require(event.splicing(debug)))
        #expect(spliced.name == "x")
        #expect(String(decoding: spliced.bytes, as: UTF8.self).hasPrefix("id: 7\n"))
        #expect(spliced.json?["a"] == .number("1"))
        #expect(spliced.json?["extra_fields"]?["cache_debug"]?["cache_id"] == .string("c1"))
        #expect(ServerSentEvent(bytes: Array("data: [DONE]\n\n".utf8)).splicing(debug) == nil)
    }

    @Test func liveplacementHoldsOnlyPossiblyFinalChunks() {
        let debug = CacheDebug(cacheHit: false, cacheID: "new")
        var placement = StreamDebugPlacement(debug: debug)
        let delta = ServerSentEvent(bytes: Array("data: {\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n".utf8))
        let stop = ServerSentEvent(bytes: Array("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n".utf8))
        let usage = ServerSentEvent(bytes: Array("data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n".utf8))
        let done = ServerSentEvent(bytes: Array("data: [DONE]\n\n".utf8))
        #expect(placement.accept(delta) == [delta.bytes], "content goes out at once")
        #expect(placement.accept(stop).isEmpty, "a finish chunk waits to see whether it is last")
        #expect(placement.accept(usage) == [stop.bytes], "it was not: out unchanged")
        let end = placement.accept(done)
        #expect(end.count == 2)
        #expect(ServerSentEvent(bytes: end[0]).json?["extra_fields"]?["cache_debug"]?["cache_id"] == .string("new"))
        #expect(end[1] == done.bytes)
        #expect(placement.finish().isEmpty)
    }

    @Test func replayPutsDebugOnTheLastDataEventBeforeDone() {
        let text = "data: {\"n\":1}\n\ndata: {\"n\":2}\n\n: comment\n\ndata: [DONE]\n\n"
        let parsed = events(text, chunkSize: 1000)
        let chunks = StreamDebugPlacement.replay(parsed, debug: CacheDebug(cacheHit: true, hitType: .direct, cacheID: "x"))
        #expect(chunks.count == 4)
        #expect(chunks[0] == parsed[0].bytes)
        #expect(ServerSentEvent(bytes: chunks[1]).json?["extra_fields"]?["cache_debug"]?["hit_type"] == .string("direct"))
        #expect(chunks[2] == parsed[2].bytes)
        #expect(chunks[3] == parsed[3].bytes)
    }
}
