import Benchmark
import Foundation
import HeimdallCore
import HeimdallStore

/// The in-process part of a request: key derivation, lookup, inflate, response assembly (issue 8).
/// HTTP is measured separately (scripts/bench-proxy.sh); these isolate what Heimdall adds.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 50,
        maxDuration: .seconds(3), maxIterations: 100_000)

    let fixture = RequestFixture()

    Benchmark("key: parse + fingerprint (227 B chat request)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try fixture.fingerprint())
        }
    }
    Benchmark("direct hit from memory: key + lookup + splice cache_debug (1 KB answer)") { benchmark in
        for _ in benchmark.scaledIterations {
            let fingerprint = try fixture.fingerprint()
            guard let stored = try fixture.warm.lookup(directKey: fingerprint.directKey) else { fatalError("must hit") }
            blackHole(CacheDebugSplicer.splice(fixture.debug(stored.id), into: stored.body))
        }
    }
    Benchmark("direct hit from SQLite: key + select + inflate + splice (1 KB answer)") { benchmark in
        for _ in benchmark.scaledIterations {
            let fingerprint = try fixture.fingerprint()
            guard let stored = try fixture.cold.lookup(directKey: fingerprint.directKey) else { fatalError("must hit") }
            blackHole(CacheDebugSplicer.splice(fixture.debug(stored.id), into: stored.body))
        }
    }
    Benchmark("miss record: deferred insert (deflate 1 KB), commit every 64") { benchmark in
        var n = 0
        for _ in benchmark.scaledIterations {
            n += 1
            try fixture.sink.insert(fixture.entry(key: "miss-\(n)"), durability: .deferred)
            if n % 64 == 0 { try fixture.sink.flush() }
        }
        try fixture.sink.flush()
    }
    Benchmark("stream replay: split + splice 40 SSE events") { benchmark in
        for _ in benchmark.scaledIterations {
            var splitter = ServerSentEventSplitter()
            let events = splitter.push(fixture.stream)
            blackHole(StreamDebugPlacement.replay(events, debug: fixture.debug("x")))
        }
    }
}

final class RequestFixture: @unchecked Sendable {
    let request = Array(
        #"{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Explain in one paragraph how a reverse proxy cache for LLM APIs works."}],"temperature":0,"max_tokens":256}"#
            .utf8)
    let answer = Array(
        #"{"id":"chatcmpl-9xKQ2mZbT1vR8yLhP4nWc7aDfE3sG","object":"chat.completion","created":1764367200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"A reverse proxy cache stores upstream responses keyed by the request so that repeated identical requests can be answered locally. For LLM APIs the key usually includes the model, the messages and the sampling parameters, because any change to them changes the completion. Exact-match caching hashes the normalized request body; semantic caching embeds the prompt and returns a stored answer when a previous prompt is close enough in cosine similarity. Both cut latency from seconds to microseconds and avoid paying for repeated tokens.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":96,"total_tokens":138},"system_fingerprint":"fp_0ba0d124f1"}"#
            .utf8)
    let stream: [UInt8]
    let warm: CacheStore
    let cold: CacheStore
    let sink: CacheStore
    let tenant = Tenant.id(virtualKey: nil, authorization: "Bearer sk-bench", shareAcrossTenants: false)

    init() {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-bench-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        warm = try! CacheStore(path: directory.appendingPathComponent("warm.sqlite").path)
        cold = try! CacheStore(path: directory.appendingPathComponent("cold.sqlite").path, memoryBytes: 0)
        sink = try! CacheStore(path: directory.appendingPathComponent("sink.sqlite").path)
        var chunks = ""
        for i in 0..<38 {
            chunks +=
                #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" word\#(i)"},"finish_reason":null}]}"#
                + "\n\n"
        }
        chunks +=
            #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
            + "\n\ndata: [DONE]\n\n"
        stream = Array(chunks.utf8)
        let key = try! fingerprint().directKey
        try! warm.insert(entry(key: key))
        try! cold.insert(entry(key: key))
        // Many rows, so the SQLite read is an index lookup in a realistic table.
        for i in 0..<10_000 { try! cold.insert(entry(key: "filler-\(i)"), durability: .deferred) }
        try! cold.flush()
    }

    func fingerprint() throws -> RequestFingerprint {
        try RequestFingerprint(
            route: .chatCompletions, body: try JSONParser.parse(request), cacheKey: "default", tenant: tenant)
    }

    func entry(key: String) -> CacheEntry {
        CacheEntry(
            id: UUID().uuidString, directKey: key, partitionKey: "p", cacheKey: "default", tenant: tenant, route: "chat",
            provider: nil, model: "gpt-4o-mini", status: 200, headers: [("content-type", "application/json")], body: answer,
            ttlSeconds: 3600)
    }

    func debug(_ id: String) -> CacheDebug {
        CacheDebug(cacheHit: true, hitType: .direct, cacheID: id, requestedModel: "gpt-4o-mini")
    }
}
