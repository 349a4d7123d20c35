import AsyncHTTPClient
import Foundation
import HTTPTypes
import HeimdallCore
import HeimdallStore
import Hummingbird
import NIOCore

/// The cache pipeline of one cacheable request (docs/behaviour.md §3): direct lookup, single-flight,
/// semantic lookup, then the upstream, recording what it answered.
extension ProxyResponder {
    /// The stages in order: direct lookup, single-flight, semantic lookup, then the upstream.
    /// Each returns an answer or hands on what the next one needs.
    func answer(_ r: CacheableRequest) async throws -> (Response, String?) {
        if r.directives.lookup != .semanticOnly, let hit = await directHit(r.fingerprint) {
            r.record.served(hit.stored, as: .hitDirect)
            return (response(hit.rendered), hit.stored.id)
        }
        let lease: FlightLease?
        switch await joinFlight(r) {
        case .answered(let followed): return followed
        case .proceed(let held): lease = held
        }
        var debug = r.baseDebug
        switch await semanticLookup(r, lease: lease, debug: &debug) {
        case .served(let served): return served
        case .notServed(let embedding): return try await forward(r, lease: lease, debug: debug, embedding: embedding)
        }
    }

    /// Sends a miss upstream and relays the answer, storing it when `StoreDecision` says so.
    func forward(_ r: CacheableRequest, lease: FlightLease?, debug: CacheDebug, embedding promptEmbedding: PromptEmbedding?)
        async throws -> (Response, String?)
    {
        var debug = debug
        r.record.missed()
        let record = EntryDraft(
            id: UUID().uuidString.lowercased(), request: r, ttlSeconds: r.directives.ttlSeconds ?? settings.ttlSeconds,
            embedding: promptEmbedding)
        debug.cacheID = record.id
        let upstreamStarted = ContinuousClock.now
        let upstreamResponse = try await upstream.send(
            method: r.request.method, target: r.target, headers: r.request.headers, body: .bytes(r.body),
            dropping: ["accept-encoding"])  // identity bodies, so cache_debug can be spliced in
        let status = HTTPResponse.Status(code: Int(upstreamResponse.status.code), reasonPhrase: upstreamResponse.status.reasonPhrase)
        let succeeded = (200..<300).contains(Int(upstreamResponse.status.code))
        let contentType = upstreamResponse.headers.first(name: "content-type")
        let encoding = upstreamResponse.headers.first(name: "content-encoding")?.lowercased() ?? "identity"

        if succeeded, encoding == "identity", contentType.map(Self.isEventStream) == true {
            // Counted at the stream's head: stats are recorded before its body is relayed.
            r.record.fetched(since: upstreamStarted, bytes: 0)
            return (relayStream(upstreamResponse, status: status, record: record, debug: debug, lease: lease), record.id)
        }

        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers, dropping: ["content-length"])
        headers[CacheOutcome.headerName] = CacheOutcome.miss.rawValue
        switch try await UpstreamBody.read(upstreamResponse.body, limit: settings.maxResponseBytes) {
        case .oversized(let prefix, let rest):
            // Too large to store: relay as it comes, without cache_debug (we cannot splice what we do not hold).
            headers[CacheOutcome.headerName] = CacheOutcome.bypass.rawValue
            r.record.bypassed()
            if let length = upstreamResponse.headers.first(name: "content-length") {
                headers[.contentLength] = length
            }
            return (Response(status: status, headers: headers, body: UpstreamBody.relay(prefix: prefix, rest: rest)), nil)
        case .complete(let bytes):
            r.record.fetched(since: upstreamStarted, bytes: bytes.count)
            // JSON carries cache_debug; a binary answer (speech audio) is stored and replayed as is.
            let isJSON = CacheDebugSplicer.carriesDebug(contentType: contentType)
            let decision = StoreDecision(
                status: Int(upstreamResponse.status.code), noStore: r.directives.noStore, contentEncoding: encoding,
                route: r.fingerprint.route, body: bytes, now: Date().timeIntervalSince1970)
            if decision == .store {
                if let answer = await storeEntry(
                    record, status: Int(upstreamResponse.status.code), contentType: contentType, body: bytes)
                {
                    var followerDebug = r.baseDebug
                    followerDebug.cacheHit = true
                    followerDebug.hitType = .direct
                    followerDebug.cacheID = record.id
                    lease?.flight.close(.answer(answer, followerDebug))
                } else {
                    // Not stored: the client still gets the upstream's answer, and no id of an entry
                    // that does not exist; followers are released to go upstream themselves.
                    debug.cacheID = nil
                }
            }
            let out = isJSON && encoding == "identity" ? (CacheDebugSplicer.splice(debug, into: bytes) ?? bytes) : bytes
            return (Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: out))), record.id)
        }
    }

    static func isEventStream(_ contentType: String) -> Bool {
        contentType.lowercased().hasPrefix("text/event-stream")
    }

    /// Relays a server-sent event stream as it arrives while recording it; stores it only when the
    /// upstream ended it normally and the client took all of it (docs/behaviour.md §3).
    func relayStream(
        _ upstreamResponse: HTTPClientResponse, status: HTTPResponse.Status, record: EntryDraft, debug: CacheDebug,
        lease: FlightLease?
    ) -> Response {
        var headers = UpstreamClient.relayedHeaders(upstreamResponse.headers, dropping: ["content-length"])
        headers[CacheOutcome.headerName] = CacheOutcome.miss.rawValue
        let contentType = upstreamResponse.headers.first(name: "content-type")
        lease?.flight.publish(.streamHead(status: status, headers: headers, cacheID: record.id))
        let limit = settings.maxResponseBytes
        let body = ResponseBody { writer in
            var recording = StreamRecording(limit: limit)
            var splitter = ServerSentEventSplitter()
            var placement = StreamDebugPlacement(debug: debug)
            var (attempted, stored) = (false, false)
            for try await chunk in upstreamResponse.body {
                for event in splitter.push(chunk.readableBytesView) {
                    recording.append(event)
                    lease?.flight.publish(.event(event.bytes))
                    // Store before the client sees the end, so its next identical request finds the entry.
                    if recording.isComplete, !attempted, !record.noStore, let bytes = recording.storableBytes {
                        attempted = true
                        stored =
                            await storeEntry(
                                record, status: Int(status.code), contentType: contentType, body: bytes, isStream: true,
                                usageFrom: recording.usageEvent) != nil
                        if !stored { placement.debug.cacheID = nil }
                    }
                    for out in placement.accept(event) { try await writer.write(ByteBuffer(bytes: out)) }
                }
            }
            if !splitter.remainder.isEmpty { try await writer.write(ByteBuffer(bytes: splitter.remainder)) }
            for out in placement.finish() { try await writer.write(ByteBuffer(bytes: out)) }
            try await writer.finish(nil)
            lease?.flight.close(.streamEnd(cacheID: stored ? record.id : nil))
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Writes an answer to the store and the vector index; returns it as followers will be served,
    /// or nil when the store could not write it (counted and logged by `storeHealth`; the caller
    /// answers the client all the same).
    func storeEntry(
        _ record: EntryDraft, status: Int, contentType: String?, body: [UInt8], isStream: Bool = false,
        usageFrom usageBody: [UInt8]? = nil
    ) async -> StoredResponse? {
        let fingerprint = record.fingerprint
        let usage = ResponseUsage(body: usageBody ?? body)
        let headers = contentType.map { [("content-type", $0)] } ?? []
        let entry = CacheEntry(
            id: record.id, directKey: fingerprint.directKey, partitionKey: fingerprint.partitionKey,
            cacheKey: fingerprint.cacheKey, tenant: fingerprint.tenant, route: fingerprint.route.rawValue,
            provider: fingerprint.requestedModel?.provider, model: fingerprint.requestedModel?.model,
            status: status, headers: headers, body: body, isStream: isStream,
            promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
            ttlSeconds: record.ttlSeconds(body: body),
            embedding: record.embedding?.vector,
            embeddingModel: record.embedding.flatMap { _ in semantic?.embedder.vectorSpace },
            prompt: record.embedding == nil ? nil : fingerprint.semanticText,
            jobID: fingerprint.route.isVideoJob ? VideoJob(body: body)?.id : nil)
        let inserted: CacheStore.InsertResult
        do {
            let durability: CacheStore.Durability = settings.writeBehind ? .deferred : .immediate
            inserted = try await storeThreads.run { [store] () throws(StoreError) in try store.insert(entry, durability: durability) }
            storeHealth.wrote()
        } catch {
            storeHealth.failed(.write, error)
            return nil
        }
        if let semantic {
            semantic.remove(inserted.removedIDs)  // replaced and evicted entries
            if let vector = record.embedding?.vector {
                semantic.add(id: record.id, partition: fingerprint.partitionKey, vector: vector)
            }
        }
        return inserted.stored
    }

    /// A cached answer: stored status, content type and body, with `cache_debug` in the JSON body
    /// or, for a stream, on its last data chunk; a stream is written event by event.
    func serve(_ answer: StoredResponse, debug: CacheDebug, outcome: CacheOutcome? = nil) -> Response {
        let outcome = outcome ?? (debug.hitType == .semantic ? CacheOutcome.hitSemantic : CacheOutcome.hitDirect)
        return response(RenderedAnswer(answer, debug: debug, outcome: outcome))
    }

    func response(_ rendered: RenderedAnswer) -> Response {
        guard rendered.isStream else {
            return Response(
                status: rendered.status, headers: rendered.headers, body: ResponseBody(byteBuffer: rendered.chunks.first ?? ByteBuffer()))
        }
        let chunks = rendered.chunks
        let body = ResponseBody { writer in
            for chunk in chunks { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
        return Response(status: rendered.status, headers: rendered.headers, body: body)
    }

    /// The stored answer for `fingerprint`'s direct key held in memory, rendered (and counted as a
    /// hit); nil when memory does not hold it. Never touches SQLite: the event loop's lookup.
    func directHitInMemory(_ fingerprint: RequestFingerprint) -> DirectHit? {
        store.lookupInMemory(directKey: fingerprint.directKey).map { render($0, fingerprint) }
    }

    /// The stored answer for `fingerprint`'s direct key, from memory or else read from the file on a
    /// store thread; nil when there is none or the store cannot be read (a miss, counted by `storeHealth`).
    func directHit(_ fingerprint: RequestFingerprint) async -> DirectHit? {
        if let held = directHitInMemory(fingerprint) { return held }
        let directKey = fingerprint.directKey
        do {
            let found = try await storeThreads.run { [store] () throws(StoreError) in try store.lookup(directKey: directKey) }
            return found.map { render($0, fingerprint) }
        } catch {
            storeHealth.failed(.read, error)
            return nil
        }
    }

    private func render(_ stored: StoredResponse, _ fingerprint: RequestFingerprint) -> DirectHit {
        var debug = CacheableRequest.baseDebug(fingerprint)
        debug.cacheHit = true
        debug.hitType = .direct
        debug.cacheID = stored.id
        return DirectHit(stored: stored, rendered: renderedHits.directHit(stored, debug: debug))
    }
}

/// A direct hit, found and rendered without suspending: the event-loop fast path and the
/// pipeline serve it the same way.
struct DirectHit {
    let stored: StoredResponse
    let rendered: RenderedAnswer
}

/// What a miss will store, decided before the upstream answers.
struct EntryDraft: Sendable {
    let id: String
    let fingerprint: RequestFingerprint
    let ttl: Double
    let embedding: PromptEmbedding?
    let noStore: Bool

    init(id: String, request: CacheableRequest, ttlSeconds: Double, embedding: PromptEmbedding?) {
        self.id = id
        self.fingerprint = request.fingerprint
        self.ttl = ttlSeconds
        self.embedding = embedding
        self.noStore = request.directives.noStore
    }

    /// The TTL, shortened for a video job to the job's own `expires_at`.
    func ttlSeconds(body: [UInt8]) -> Double {
        guard fingerprint.route.isVideoJob, let expires = VideoJob(body: body)?.expiresAt else { return ttl }
        return max(0, min(ttl, expires - Date().timeIntervalSince1970))
    }
}
