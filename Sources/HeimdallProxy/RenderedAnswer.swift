import HTTPTypes
import HeimdallCore
import HeimdallStore
import NIOCore
import NIOHTTP1
import Synchronization

/// A cached answer as it goes on the wire: status, headers and body chunks with `cache_debug`
/// spliced in (one chunk for JSON or binary, one per event for a stream). Written by
/// Hummingbird's responder and by the event-loop fast path (`DirectHitHandler`) alike.
struct RenderedAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var chunks: [ByteBuffer]
    var isStream: Bool
    /// A JSON or binary direct hit serialised as HTTP/1.1 around its `Date` value (which changes
    /// every second): the fast path writes it as one buffer, past the HTTP encoder. Set by
    /// `serialiseForWire`, for direct hits only (no other answer goes out that way).
    var wire: (beforeDate: ByteBuffer, afterDate: ByteBuffer)?

    init(_ answer: StoredResponse, debug: CacheDebug, outcome: CacheOutcome) {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        headers[CacheOutcome.headerName] = outcome.rawValue
        status = HTTPResponse.Status(code: answer.status)
        isStream = answer.isStream
        if answer.isStream {
            var splitter = ServerSentEventSplitter()
            chunks = StreamDebugPlacement.replay(splitter.push(answer.body), debug: debug).map { ByteBuffer(bytes: $0) }
        } else {
            let isJSON = CacheDebugSplicer.carriesDebug(contentType: answer.headers.first { $0.name == "content-type" }?.value)
            let body = isJSON ? (CacheDebugSplicer.splice(debug, into: answer.body) ?? answer.body) : answer.body
            headers[.contentLength] = String(body.count)
            chunks = [ByteBuffer(bytes: body)]
        }
        self.headers = headers
    }

    /// Adds `wire` to a JSON or binary answer. Its body chunk becomes a slice of the serialised
    /// bytes, so the body is held once.
    mutating func serialiseForWire() {
        guard !isStream, let body = chunks.first else { return }
        // The reason phrase NIO's encoder would write (HTTPTypes leaves it empty for a bare code).
        var head = "HTTP/1.1 \(status.code) \(HTTPResponseStatus(statusCode: status.code).reasonPhrase)\r\n"
        for field in headers where field.name != .date { head += "\(field.name.rawName): \(field.value)\r\n" }
        var after = ByteBuffer(string: "\r\n\r\n")
        let bodyStart = after.writerIndex
        after.writeImmutableBuffer(body)
        chunks = [after.getSlice(at: bodyStart, length: body.readableBytes)!]
        wire = (ByteBuffer(string: head + "Date: "), after)
    }

    var byteCount: Int { chunks.reduce(0) { $0 + $1.readableBytes } }
}

/// Direct hits rendered once per entry: a direct hit's `cache_debug` depends only on the entry
/// and the provider/model the request named, so repeated hits reuse the spliced bytes.
/// Entry ids are never reused, so a deleted entry's rendering is simply never asked for again.
/// Bounded in bytes; when full it starts over.
final class RenderedHits: Sendable {
    private struct Rendered {
        var requestedProvider: String?
        var requestedModel: String?
        var answer: RenderedAnswer
    }

    private struct State {
        var byID: [String: Rendered] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 32 << 20) { self.capacity = capacity }

    /// The rendering of a direct hit on `answer`, made and kept when not held yet.
    func directHit(_ cached: StoredResponse, debug: CacheDebug) -> RenderedAnswer {
        let held = state.withLock { state -> RenderedAnswer? in
            guard let rendered = state.byID[cached.id], rendered.requestedProvider == debug.requestedProvider,
                rendered.requestedModel == debug.requestedModel
            else { return nil }
            return rendered.answer
        }
        if let held { return held }
        var answer = RenderedAnswer(cached, debug: debug, outcome: .hitDirect)
        answer.serialiseForWire()
        let size = answer.byteCount + 512
        guard size <= capacity / 16 else { return answer }
        state.withLock { state in
            if state.bytes + size > capacity {
                state.byID = [:]
                state.bytes = 0
            }
            if let old = state.byID.updateValue(
                Rendered(requestedProvider: debug.requestedProvider, requestedModel: debug.requestedModel, answer: answer),
                forKey: cached.id)
            {
                state.bytes -= old.answer.byteCount + 512
            }
            state.bytes += size
        }
        return answer
    }
}
