import Foundation
import HTTPTypes
import HeimdallCore
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Synchronization

/// The direct-hit fast path, in the proxy's channel pipeline right after HTTP/1 parsing (before
/// the conversion to HTTP types): a small cacheable request is read whole here, and when it is a
/// direct hit it is answered on the event loop — no type conversion, no router, no task, no async
/// body stream, one pre-serialised write. Everything else (misses, semantic lookups, passthrough,
/// pipelined requests behind an unanswered one) goes on to Hummingbird's responder untouched, in
/// order. The answer, the stats and the log line are the same either way: both paths call
/// `ProxyResponder.plan`, `fingerprint`, `directHit` and `finish`.
final class DirectHitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies up to this size are held here for a look; larger ones go straight on.
    static let bodyLimit = 64 << 10

    private enum State {
        /// Between requests.
        case idle
        /// Reading a request that may be a direct hit.
        case holding(HTTPRequestHead, ByteBuffer?, limit: Int)
        /// Passing the current request on to Hummingbird.
        case forwarding
    }

    private let responder: ProxyResponder
    private var state = State.idle
    /// The HTTP/1 encoder's context: pre-serialised answers are written past it, straight to the socket.
    private var encoder: ChannelHandlerContext?
    /// Requests handed on whose response has not ended: answering a later one here first would reorder responses.
    private var unanswered = 0

    init(responder: ProxyResponder) { self.responder = responder }

    func handlerAdded(context: ChannelHandlerContext) {
        encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) { encoder = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.idle, .head(let head)):
            if unanswered == 0, let limit = holdLimit(head) {
                state = .holding(head, nil, limit: limit)
            } else {
                handOn(context, head: head)
            }
        case (.holding(let head, var body, let limit), .body(let chunk)):
            guard (body?.readableBytes ?? 0) + chunk.readableBytes <= limit else {
                handOn(context, head: head, body: body)
                context.fireChannelRead(data)
                return
            }
            state = .idle  // drop the held buffer's reference before appending: no copy on write
            if body == nil { body = chunk } else { body!.writeImmutableBuffer(chunk) }
            state = .holding(head, body, limit: limit)
        case (.holding(let head, let body, _), .end(let trailers)):
            state = .idle
            if trailers == nil, let answer = responder.answerOnEventLoop(head, body: body ?? ByteBuffer()) {
                write(answer, context: context)
            } else {
                handOn(context, head: head, body: body)
                state = .idle
                context.fireChannelRead(data)
            }
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(data)
        default:
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 { unanswered -= 1 }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Shutting down: a request held here is handed on, so the connection's state handler sees it in flight.
        if event is ChannelShouldQuiesceEvent, case .holding(let head, let body, _) = state {
            handOn(context, head: head, body: body)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// How much body to hold for `head`, or nil when it cannot be a direct hit answered here:
    /// a keep-alive POST to a cacheable route with a small declared length and no `Expect`.
    private func holdLimit(_ head: HTTPRequestHead) -> Int? {
        guard head.method == .POST, head.isKeepAlive, RouteFamily.classify(method: "POST", path: head.uri) != nil,
            !head.headers.contains(name: "expect"),
            let length = head.headers.first(name: "content-length").flatMap({ Int($0) }),
            length <= min(Self.bodyLimit, responder.settings.maxRequestBodyBytes)
        else { return nil }
        return length
    }

    /// Passes a request (and what was held of its body) on to Hummingbird.
    private func handOn(_ context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer? = nil) {
        unanswered += 1
        state = .forwarding
        context.fireChannelRead(wrapInboundOut(.head(head)))
        if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
    }

    private func write(_ answer: RenderedAnswer, context: ChannelHandlerContext) {
        // Nothing of Hummingbird's is being written (`unanswered` is 0), so bytes past the encoder
        // cannot interleave with another response.
        if let wire = answer.wire, let encoder {
            let date = HTTPDate.now
            var bytes = context.channel.allocator.buffer(
                capacity: wire.beforeDate.readableBytes + date.utf8.count + wire.afterDate.readableBytes)
            bytes.writeImmutableBuffer(wire.beforeDate)
            bytes.writeString(date)
            bytes.writeImmutableBuffer(wire.afterDate)
            encoder.writeAndFlush(NIOAny(bytes), promise: nil)
            return
        }
        var headers = HTTPHeaders(answer.headers.map { ($0.name.rawName, $0.value) })
        headers.replaceOrAdd(name: "date", value: HTTPDate.now)
        let status = HTTPResponseStatus(statusCode: answer.status.code)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        for chunk in answer.chunks {
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
            // A replayed stream goes out event by event, as the Hummingbird path writes it.
            if answer.isStream { context.flush() }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@available(*, unavailable)
extension DirectHitHandler: Sendable {}

/// Hummingbird's HTTP/1 channel with `DirectHitHandler` put right after the HTTP/1 decoder,
/// ahead of the conversion to HTTP types (Hummingbird's own hook adds handlers after it).
struct DirectHitHTTP1Channel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let inner: HTTP1Channel
    let proxy: ProxyResponder
    var responder: HTTPChannelHandler.Responder { inner.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { [proxy] value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(
                DirectHitHandler(responder: proxy), position: .before(try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

extension ProxyResponder {
    /// A fully read request answered without suspending when it is a direct hit held in memory; nil
    /// (and nothing counted) otherwise, for Hummingbird's responder to handle: the event loop never
    /// waits for SQLite.
    func answerOnEventLoop(_ head: HTTPRequestHead, body: ByteBuffer) -> RenderedAnswer? {
        let started = ContinuousClock.now
        let target = head.uri
        let headers = CacheRelevantHeaders(head.headers)
        guard case .cache(let route, let directives, let cacheKey) = plan(method: head.method.rawValue, target: target, headers: headers),
            directives.lookup != .semanticOnly,
            case .success(let fingerprint) = fingerprint(route: route, target: target, headers: headers, body: body, cacheKey: cacheKey),
            let hit = directHitInMemory(fingerprint)
        else { return nil }
        stats.answeredOnEventLoop.add(1, ordering: .relaxed)
        let record = RequestRecord()
        record.identify(cacheKey: cacheKey, model: fingerprint.requestedModel?.label)
        record.served(hit.stored, as: .hitDirect)
        finish(
            record, method: head.method.rawValue, target: target, status: hit.rendered.status, cacheID: hit.stored.id,
            started: started)
        return hit.rendered
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted once a second. English names
/// by hand: `strftime` would follow the process locale.
enum HTTPDate {
    private static let cached = Mutex<(second: Int, text: String)>((-1, ""))
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static var now: String { format(time(nil)) }

    static func format(_ second: Int) -> String {
        cached.withLock { cached in
            if cached.second != second {
                var moment = second
                var parts = tm()
                gmtime_r(&moment, &parts)
                func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
                let text =
                    "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
                    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
                cached = (second, text)
            }
            return cached.text
        }
    }
}
