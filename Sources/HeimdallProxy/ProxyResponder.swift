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
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let target = request.head.path ?? "/"
        var response: Response
        var cacheID: String?
        do {
            (response, cacheID) = try await route(request, target: target)
        } catch let error as UpstreamError {
            response = ProxyErrorResponse.upstream(error, cacheOutcome: .bypass)
        } catch is RequestBodyReader.TooLarge {
            response = ProxyErrorResponse.bodyTooLarge(limit: settings.maxRequestBodyBytes, cacheOutcome: .bypass)
        } catch let error as StoreError {
            logger.error("cache store failure", metadata: ["error": "\(error)"])
            response = ProxyErrorResponse.make(
                status: .internalServerError, message: "cache store failure: \(error)", type: "server_error", cacheOutcome: .bypass)
        } catch {
            response = ProxyErrorResponse.make(
                status: .badGateway, message: "proxy error: \(error)", type: "upstream_unavailable", cacheOutcome: .bypass)
        }
        if logger.logLevel <= .info {
            let elapsed = ContinuousClock.now - started
            var metadata: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "path": "\(Self.pathOnly(target))",
                "outcome": "\(response.headers[CacheOutcome.headerName] ?? "")", "status": "\(response.status.code)",
                "ms":
                    "\(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))",
            ]
            if let cacheID { metadata["cache_id"] = "\(cacheID)" }
            logger.info("request", metadata: metadata)
        }
        return response
    }

    /// The path without its query string: queries may carry tokens and never reach the logs.
    static func pathOnly(_ target: String) -> Substring {
        target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
    }

    func route(_ request: Request, target: String) async throws -> (Response, String?) {
        guard let route = RouteFamily.classify(method: request.method.rawValue, path: target) else {
            return (try await passthrough(request, target: target), nil)
        }
        let directives = CacheDirectives(
            header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } },
            defaultCacheKey: settings.defaultCacheKey)
        // A compressed request body cannot be keyed without inflating it: leave it to the upstream.
        let encodedBody = request.headers[.contentEncoding].map { $0.lowercased() != "identity" } ?? false
        guard directives.isCaching, let cacheKey = directives.cacheKey, !encodedBody else {
            return (try await passthrough(request, target: target), nil)
        }

        let buffer = try await RequestBodyReader.collect(request.body, limit: settings.maxRequestBodyBytes)
        let bodyBytes = Array(buffer.readableBytesView)
        let json: JSONValue
        do {
            json = try JSONParser.parse(bodyBytes)
        } catch {
            let response = ProxyErrorResponse.make(
                status: .badRequest, message: "request body is not valid JSON: \(error)", type: "invalid_request_error",
                code: "invalid_json", cacheOutcome: .bypass)
            return (response, nil)
        }
        let tenant = Tenant.id(
            virtualKey: request.headers[HTTPField.Name("x-bf-vk")!], authorization: request.headers[.authorization],
            shareAcrossTenants: settings.shareAcrossTenants)
        guard
            let fingerprint = try? RequestFingerprint(
                route: route, body: json, cacheKey: cacheKey, tenant: tenant, options: settings.fingerprintOptions),
            !fingerprint.isStream  // streams are relayed uncached until stream recording lands
        else {
            // Valid JSON of the wrong shape: the upstream is the better judge of the error.
            return (try await forwardBuffered(request, target: target, body: buffer), nil)
        }

        let requestDebug = CacheDebug(
            cacheHit: false, requestedProvider: fingerprint.requestedModel?.provider,
            requestedModel: fingerprint.requestedModel?.model)

        if directives.lookup != .semanticOnly, let stored = try store.lookup(directKey: fingerprint.directKey) {
            var debug = requestDebug
            debug.cacheHit = true
            debug.hitType = .direct
            debug.cacheID = stored.id
            return (serve(stored, debug: debug), stored.id)
        }

        var debug = requestDebug
        var promptEmbedding: PromptEmbedding?
        if directives.lookup != .directOnly, let semantic, semantic.applies(to: fingerprint) {
            let threshold = semantic.effectiveThreshold(requested: directives.threshold)
            do {
                let embedding = try await semantic.embedder.embed(fingerprint.semanticText, headers: request.headers)
                promptEmbedding = embedding
                debug.providerUsed = embedding.provider
                debug.modelUsed = embedding.model
                debug.inputTokens = embedding.inputTokens
                debug.threshold = threshold
                let result = try semantic.search(embedding, partition: fingerprint.partitionKey, threshold: threshold)
                if let best = result.bestSimilarity { debug.similarity = Double(best) }
                for match in result.matches {
                    // One read serves the expiry check, the guard and the answer; the hit is counted only once served.
                    guard let stored = try store.entry(id: match.id), stored.expires > store.clock.now() else {
                        semantic.remove([match.id])  // expired since it was indexed
                        continue
                    }
                    if let prompt = stored.prompt,
                        let check = semantic.hitGuard.rejection(query: fingerprint.semanticText, candidate: prompt)
                    {
                        logger.debug("semantic match vetoed", metadata: ["cache_id": "\(match.id)", "check": "\(check.rawValue)"])
                        continue
                    }
                    try store.recordHit(id: stored.id)
                    debug.cacheHit = true
                    debug.hitType = .semantic
                    debug.cacheID = stored.id
                    debug.similarity = Double(match.similarity)
                    return (serve(stored, debug: debug), stored.id)
                }
            } catch let error as StoreError {
                throw error
            } catch {
                // An embedding failure costs the semantic lookup, never the request.
                logger.warning("semantic lookup skipped", metadata: ["error": "\(error)"])
            }
        }

        let entryID = UUID().uuidString.lowercased()
        debug.cacheID = entryID
        let upstreamResponse = try await upstream.send(
            method: request.method, target: target, headers: request.headers, body: .bytes(buffer),
            dropping: ["accept-encoding"])  // identity bodies, so cache_debug can be spliced in
        let status = HTTPResponse.Status(code: Int(upstreamResponse.status.code), reasonPhrase: upstreamResponse.status.reasonPhrase)
        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers, dropping: ["content-length"])
        headers[CacheOutcome.headerName] = CacheOutcome.miss.rawValue

        switch try await UpstreamBody.read(upstreamResponse.body, limit: settings.maxResponseBytes) {
        case .oversized(let prefix, let rest):
            // Too large to store: relay as it comes, without cache_debug (we cannot splice what we do not hold).
            headers[CacheOutcome.headerName] = CacheOutcome.bypass.rawValue
            if let length = upstreamResponse.headers.first(name: "content-length") {
                headers[.contentLength] = length
            }
            let body = ResponseBody { writer in
                for chunk in prefix { try await writer.write(chunk) }
                while let chunk = try await rest.next() { try await writer.write(chunk) }
                try await writer.finish(nil)
            }
            return (Response(status: status, headers: headers, body: body), nil)
        case .complete(let bytes):
            let contentType = upstreamResponse.headers.first(name: "content-type")
            let encoding = upstreamResponse.headers.first(name: "content-encoding")?.lowercased() ?? "identity"
            // Only identity JSON can carry cache_debug and be replayed byte for byte.
            let isJSON = encoding == "identity" && (contentType.map { $0.lowercased().contains("json") } ?? true)
            let succeeded = (200..<300).contains(Int(upstreamResponse.status.code))
            if succeeded, !directives.noStore, isJSON {
                let usage = ResponseUsage(body: bytes)
                let entry = CacheEntry(
                    id: entryID, directKey: fingerprint.directKey, partitionKey: fingerprint.partitionKey,
                    cacheKey: cacheKey, tenant: tenant, route: route.rawValue,
                    provider: fingerprint.requestedModel?.provider, model: fingerprint.requestedModel?.model,
                    status: Int(upstreamResponse.status.code),
                    headers: contentType.map { [("content-type", $0)] } ?? [], body: bytes,
                    promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
                    ttlSeconds: directives.ttlSeconds ?? settings.ttlSeconds,
                    embedding: promptEmbedding?.vector, embeddingModel: promptEmbedding.flatMap { _ in semantic?.embedder.vectorSpace },
                    prompt: fingerprint.semanticText)
                let inserted = try store.insert(entry)
                if let semantic {
                    semantic.remove(inserted.removedIDs)  // replaced and evicted entries
                    if let vector = promptEmbedding?.vector {
                        semantic.add(id: entryID, partition: fingerprint.partitionKey, vector: vector)
                    }
                }
            }
            let out = isJSON ? (CacheDebugSplicer.splice(debug, into: bytes) ?? bytes) : bytes
            return (Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: out))), entryID)
        }
    }

    /// A cached answer: stored status, content type and body, with `cache_debug` spliced in.
    func serve(_ stored: StoredResponse, debug: CacheDebug) -> Response {
        var headers = HTTPFields()
        for (name, value) in stored.headers {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        headers[CacheOutcome.headerName] = debug.hitType == .semantic ? CacheOutcome.hitSemantic.rawValue : CacheOutcome.hitDirect.rawValue
        let body = CacheDebugSplicer.splice(debug, into: stored.body) ?? stored.body
        return Response(
            status: HTTPResponse.Status(code: stored.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Relays a request and its response untouched, both bodies streamed.
    func passthrough(_ request: Request, target: String) async throws -> Response {
        let contentLength = request.headers[.contentLength].flatMap { Int($0) }
        if let contentLength, contentLength > settings.maxRequestBodyBytes { throw RequestBodyReader.TooLarge() }
        let hasBody = (contentLength ?? 0) > 0 || request.headers[.transferEncoding] != nil
        let body: UpstreamClient.Body
        if hasBody {
            body = .stream(
                RequestBody(asyncSequence: LimitedBody(base: request.body, limit: settings.maxRequestBodyBytes)), length: contentLength)
        } else {
            body = .none
        }
        let upstreamResponse = try await upstream.send(method: request.method, target: target, headers: request.headers, body: body)
        return relay(upstreamResponse, outcome: .bypass)
    }

    /// Forwards a cacheable-route request that will not be cached (its body already read).
    func forwardBuffered(_ request: Request, target: String, body: ByteBuffer) async throws -> Response {
        let upstreamResponse = try await upstream.send(
            method: request.method, target: target, headers: request.headers, body: .bytes(body))
        return relay(upstreamResponse, outcome: .bypass)
    }

    /// The upstream's response as a stream: server-sent events and binary bodies go out chunk by chunk.
    func relay(_ upstreamResponse: HTTPClientResponse, outcome: CacheOutcome) -> Response {
        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers)
        headers[CacheOutcome.headerName] = outcome.rawValue
        let status = HTTPResponse.Status(code: Int(upstreamResponse.status.code), reasonPhrase: upstreamResponse.status.reasonPhrase)
        return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: upstreamResponse.body))
    }
}
