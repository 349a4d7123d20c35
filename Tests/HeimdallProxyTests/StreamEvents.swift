import AsyncHTTPClient
import HeimdallCore
import NIOCore

/// A streamed answer as a client reads it: the events, parsed, in order.
struct StreamedAnswer {
    var status: Int
    var outcome: String?
    var events: [ServerSentEvent]

    /// The JSON data events before `[DONE]`.
    var dataEvents: [JSONValue] { events.prefix { !$0.isDone }.compactMap(\.json) }
    var endsWithDone: Bool { events.last?.isDone == true }
    /// The concatenated `delta.content` of chat chunks (or `delta` of Responses text events).
    var text: String {
        dataEvents.map { event in
            event["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? event["delta"]?.stringValue ?? ""
        }.joined()
    }
    /// Events carrying `cache_debug`, by index.
    var debugIndices: [Int] {
        events.indices.filter { events[$0].json?["extra_fields"]?["cache_debug"] != nil }
    }
    var cacheDebug: JSONValue? { debugIndices.last.flatMap { events[$0].json?["extra_fields"]?["cache_debug"] } }
    /// Each event's JSON without `extra_fields`, to compare a replay with the original.
    var contentsWithoutDebug: [JSONValue?] {
        events.map { event in
            guard case .object(let members)? = event.json else { return nil }
            return .object(members.filter { $0.key != "extra_fields" })
        }
    }
}

extension ProxyHarness {
    /// A streamed request through the proxy, read to the end.
    func stream(_ target: String = "/v1/chat/completions", body: String, headers: [(String, String)] = []) async throws
        -> StreamedAnswer
    {
        var request = HTTPClientRequest(url: proxyURL + target)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        var splitter = ServerSentEventSplitter()
        var events: [ServerSentEvent] = []
        for try await chunk in response.body { events += splitter.push(chunk.readableBytesView) }
        return StreamedAnswer(
            status: Int(response.status.code), outcome: response.headers.first(name: "x-heimdall-cache"), events: events)
    }

    static func chatStreamBody(_ text: String, model: String = "openai/gpt-4o-mini", extra: String = "") -> String {
        #"{"model":"\#(model)","stream":true,"messages":[{"role":"user","content":\#(CanonicalJSON.string(.string(text)))}]\#(extra)}"#
    }
}
