import AsyncHTTPClient
import HTTPTypes
import HeimdallCore
import HeimdallStore
import Hummingbird
import Logging
import NIOCore

/// Watches relayed video job polls (`GET /v1/videos/{id}`): a job that shows `failed` (or has
/// expired) is dropped from the cache so an identical create/remix pays for a new one (docs/behaviour.md §6).
enum VideoJobStatus {
    /// Job objects are small; anything bigger is relayed without a look.
    static let inspectLimit = 1 << 20

    /// The job id of `GET /v1/videos/{id}`, percent-decoded; nil for any other path (content, lists).
    static func polledJobID(path: String) -> String? {
        var route = Substring(path)
        if let q = route.firstIndex(of: "?") { route = route[..<q] }
        let parts = route.split(separator: "/")
        guard parts.count == 3, parts[0] == "v1", parts[1] == "videos" else { return nil }
        return String(parts[2]).removingPercentEncoding ?? String(parts[2])
    }

    static func relay(
        _ upstreamResponse: HTTPClientResponse, polling jobID: String, store: CacheStore, health: StoreHealth, logger: Logger
    ) async throws -> Response {
        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers, dropping: ["content-length"])
        headers[CacheOutcome.headerName] = CacheOutcome.bypass.rawValue
        let status = HTTPResponse.Status(code: Int(upstreamResponse.status.code), reasonPhrase: upstreamResponse.status.reasonPhrase)
        switch try await UpstreamBody.read(upstreamResponse.body, limit: inspectLimit) {
        case .oversized(let prefix, let rest):
            return Response(status: status, headers: headers, body: UpstreamBody.relay(prefix: prefix, rest: rest))
        case .complete(let bytes):
            if (200..<300).contains(Int(upstreamResponse.status.code)), let job = VideoJob(body: bytes),
                !job.isReusable(now: store.clock.now())
            {
                do {
                    let dropped = try store.deleteAll(jobID: job.id) + (job.id == jobID ? [] : try store.deleteAll(jobID: jobID))
                    if !dropped.isEmpty {
                        logger.info(
                            "video job dropped from cache", metadata: ["status": "\(job.status ?? "")", "entries": "\(dropped.count)"])
                    }
                } catch {
                    // The poll's answer is relayed either way; the entry expires with its TTL.
                    health.failed(.write, error)
                }
            }
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
