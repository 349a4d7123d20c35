import Hummingbird
import NIOCore
import Synchronization

/// Reads a request body into memory up to a limit (cacheable requests must be parsed whole).
enum RequestBodyReader {
    struct TooLarge: Error {}

    static func collect(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw TooLarge() }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}

/// A request body relayed as it arrives, failing once it passes the size limit
/// (for bodies sent without a Content-Length), and recording whether it was read to the end.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int
    let progress: UploadProgress

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        let progress: UploadProgress
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else {
                progress.markFinished()
                return nil
            }
            seen += chunk.readableBytes
            if seen > limit { throw RequestBodyReader.TooLarge() }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, progress: progress)
    }
}

/// Whether a streamed upload was read to its end. An upstream may answer before reading all of
/// it; the connection must then be closed rather than reused, because the server would drain the
/// rest of the body while the upstream client may still be reading it.
final class UploadProgress: Sendable {
    private let finished = Mutex(false)
    func markFinished() { finished.withLock { $0 = true } }
    var isFinished: Bool { finished.withLock { $0 } }

    struct Abandoned: Error, CustomStringConvertible {
        var description: String { "the upstream answered before reading the whole request body; closing the connection" }
    }
}
