import AsyncHTTPClient
import Foundation
import HTTPTypes
import HeimdallCore
import HeimdallStore
import Hummingbird
import Logging
import NIOCore

/// Answers every request on the proxy listener: cacheable ones go through the
/// cache pipeline, everything else is relayed to the upstream as a stream.
struct ProxyResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let settings: ProxySettings
    let store: CacheStore
    let upstream: UpstreamClient
    let semantic: SemanticIndex?
    let singleFlight: SingleFlight
    let stats: StatsRecorder
    /// Store failures: counted, logged once per interval, never an error for the client.
    let storeHealth: StoreHealth
    /// Where SQLite reads and writes of the request path run (never on an event loop).
    let storeThreads: StoreThreads
    let logger: Logger
    let fingerprints = FingerprintMemo()
    let renderedHits = RenderedHits()

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let target = request.head.path ?? "/"
        var response: Response
        var cacheID: String?
        let record = RequestRecord()
        do {
            (response, cacheID) = try await route(request, target: target, record: record)
        } catch let error as UpstreamError {
            record.failed()
            response = ProxyErrorResponse.upstream(error, cacheOutcome: .bypass)
        } catch is RequestBodyReader.TooLarge {
            record.failed()
            response = ProxyErrorResponse.bodyTooLarge(limit: settings.maxRequestBodyBytes, cacheOutcome: .bypass)
        } catch {
            record.failed()
            response = ProxyErrorResponse.make(
                status: .badGateway, message: "proxy error: \(error)", type: "upstream_unavailable", cacheOutcome: .bypass)
        }
        finish(record, method: request.method.rawValue, target: target, status: response.status, cacheID: cacheID, started: started)
        return response
    }

    /// Counts a finished request in the stats and writes its log line (never a secret: no query, no headers).
    func finish(
        _ record: RequestRecord, method: String, target: String, status: HTTPResponse.Status, cacheID: String?,
        started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        let outcome = stats.record(record, latency: elapsed)
        guard logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "method": "\(method)", "path": "\(Self.pathOnly(target))",
            "outcome": "\(outcome.rawValue)", "status": "\(status.code)",
            "ms": "\(String(format: "%.3f", LatencySamples.milliseconds(elapsed)))",
        ]
        if let cacheID { metadata["cache_id"] = "\(cacheID)" }
        logger.info("request", metadata: metadata)
    }

    /// The path without its query string: queries may carry tokens and never reach the logs.
    static func pathOnly(_ target: String) -> Substring {
        target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
    }

    func plan(method: String, target: String, headers: CacheRelevantHeaders) -> CachePlan {
        CachePlan(
            method: method, target: target, headers: headers, defaultCacheKey: settings.defaultCacheKey,
            cacheVideos: settings.cacheVideos)
    }

    /// The request's fingerprint within its tenant; repeated bodies come from the memo.
    func fingerprint(route: RouteFamily, target: String, headers: CacheRelevantHeaders, body: ByteBuffer, cacheKey: String)
        -> Result<RequestFingerprint, CacheableBody.Failure>
    {
        let tenant = Tenant.id(
            virtualKey: headers.virtualKey, authorization: headers.authorization, shareAcrossTenants: settings.shareAcrossTenants)
        return fingerprints.fingerprint(
            route: route, target: target, body: body, contentType: headers.contentType, cacheKey: cacheKey, tenant: tenant,
            options: settings.fingerprintOptions)
    }

    func route(_ request: Request, target: String, record: RequestRecord) async throws -> (Response, String?) {
        let headers = CacheRelevantHeaders(request.headers)
        guard case .cache(let route, let directives, let cacheKey) = plan(method: request.method.rawValue, target: target, headers: headers)
        else {
            return (try await passthrough(request, target: target), nil)
        }
        let buffer = try await RequestBodyReader.collect(request.body, limit: settings.maxRequestBodyBytes)
        let fingerprint: RequestFingerprint
        switch self.fingerprint(route: route, target: target, headers: headers, body: buffer, cacheKey: cacheKey) {
        case .success(let value):
            fingerprint = value
        case .failure(.invalidJSON(let error)):
            let response = ProxyErrorResponse.make(
                status: .badRequest, message: "request body is not valid JSON: \(error)", type: "invalid_request_error",
                code: "invalid_json", cacheOutcome: .bypass)
            record.failed()
            return (response, nil)
        case .failure(.unsupportedShape):
            // Valid input of a shape the cache does not key: the upstream is the better judge of it.
            return (try await forwardBuffered(request, target: target, body: buffer), nil)
        }
        record.identify(cacheKey: cacheKey, model: fingerprint.requestedModel?.label)
        let cacheable = CacheableRequest(
            request: request, target: target, body: buffer, fingerprint: fingerprint, directives: directives, record: record)
        return try await answer(cacheable)
    }

    /// Relays a request and its response untouched, both bodies streamed.
    func passthrough(_ request: Request, target: String) async throws -> Response {
        let contentLength = request.headers[.contentLength].flatMap { Int($0) }
        if let contentLength, contentLength > settings.maxRequestBodyBytes { throw RequestBodyReader.TooLarge() }
        let hasBody = (contentLength ?? 0) > 0 || request.headers[.transferEncoding] != nil
        let body: UpstreamClient.Body
        var upload: UploadProgress?
        if let contentLength, contentLength <= Self.bufferedUploadLimit {
            // Typical API bodies are read whole first: nothing is left for the server to drain later.
            body = contentLength == 0 ? .none : .bytes(try await RequestBodyReader.collect(request.body, limit: contentLength))
        } else if hasBody {
            let progress = UploadProgress()
            upload = progress
            body = .stream(
                RequestBody(asyncSequence: LimitedBody(base: request.body, limit: settings.maxRequestBodyBytes, progress: progress)),
                length: contentLength)
        } else {
            body = .none
        }
        let upstreamResponse = try await upstream.send(method: request.method, target: target, headers: request.headers, body: body)
        if request.method == .get, let jobID = VideoJobStatus.polledJobID(path: target) {
            return try await VideoJobStatus.relay(
                upstreamResponse, polling: jobID, store: store, health: storeHealth, logger: logger)
        }
        return relay(upstreamResponse, outcome: .bypass, upload: upload)
    }

    /// Request bodies up to this size are read before forwarding; larger uploads stream.
    static let bufferedUploadLimit = 1 << 20

    /// Forwards a cacheable-route request that will not be cached (its body already read).
    func forwardBuffered(_ request: Request, target: String, body: ByteBuffer) async throws -> Response {
        let upstreamResponse = try await upstream.send(
            method: request.method, target: target, headers: request.headers, body: .bytes(body))
        return relay(upstreamResponse, outcome: .bypass)
    }

    /// The upstream's response as a stream: server-sent events and binary bodies go out chunk by chunk.
    func relay(_ upstreamResponse: HTTPClientResponse, outcome: CacheOutcome, upload: UploadProgress? = nil) -> Response {
        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers)
        headers[CacheOutcome.headerName] = outcome.rawValue
        let status = HTTPResponse.Status(code: Int(upstreamResponse.status.code), reasonPhrase: upstreamResponse.status.reasonPhrase)
        guard let upload else {
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: upstreamResponse.body))
        }
        // The upstream answered before the upload ended: tell the client this connection will close.
        if !upload.isFinished { headers[.connection] = "close" }
        let body = ResponseBody { writer in
            for try await chunk in upstreamResponse.body { try await writer.write(chunk) }
            try await writer.finish(nil)
            // The answer is complete; an upload the upstream did not read to the end closes the connection.
            if !upload.isFinished { throw UploadProgress.Abandoned() }
        }
        return Response(status: status, headers: headers, body: body)
    }
}
