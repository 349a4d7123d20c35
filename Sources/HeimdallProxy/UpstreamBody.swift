import AsyncHTTPClient
import Hummingbird
import NIOCore

/// The upstream's response body read up to a limit: either complete, or the bytes
/// read so far plus the rest still to relay (too large to cache, never truncated).
enum UpstreamBody {
    case complete([UInt8])
    case oversized(prefix: [ByteBuffer], rest: RemainingBody)

    static func read(_ body: HTTPClientResponse.Body, limit: Int) async throws(UpstreamError) -> UpstreamBody {
        var iterator = body.makeAsyncIterator()
        var chunks: [ByteBuffer] = []
        var total = 0
        do {
            while let chunk = try await iterator.next() {
                total += chunk.readableBytes
                chunks.append(chunk)
                if total > limit {
                    return .oversized(prefix: chunks, rest: RemainingBody(iterator: iterator))
                }
            }
        } catch {
            throw UpstreamError(kind: UpstreamClient.classify(error).kind, description: "upstream response ended early: \(error)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for chunk in chunks { bytes.append(contentsOf: chunk.readableBytesView) }
        return .complete(bytes)
    }

    /// An oversized body sent on as it comes: the chunks already read, then the rest.
    static func relay(prefix: [ByteBuffer], rest: RemainingBody) -> ResponseBody {
        ResponseBody { writer in
            for chunk in prefix { try await writer.write(chunk) }
            while let chunk = try await rest.next() { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
    }
}

/// The unread remainder of an upstream body, handed to the response writer.
/// The iterator is used by exactly one writer task, which is what makes the unchecked Sendable sound.
final class RemainingBody: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(iterator: HTTPClientResponse.Body.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? { try await iterator.next() }
}
