import Benchmark
import Foundation
import HeimdallCore
import HeimdallEmbedding
import HeimdallStore
import HeimdallVector

/// A semantic hit end to end, in process: embed a short prompt (local MiniLM), search one
/// partition of 100k stored vectors, read the matched entry from SQLite and inflate its body.
/// This is what the proxy does on a semantic hit, minus HTTP (issue 4's target: p50 ≤ 3 ms).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 5, maxDuration: .seconds(10),
        maxIterations: 500)

    let embedder: LocalMiniLMEmbedder
    do {
        embedder = try LocalMiniLMEmbedder()
    } catch {
        print("SemanticLookup: skipping, the local model is not installed: \(error)")
        return
    }
    let prompt = "user: What is the capital city of France?"
    let fixture = SemanticFixture(entries: 100_000, embedder: embedder, prompt: prompt)

    // The flat scans in each precision, then int8 through an inverted file: exact (every list the
    // threshold bound keeps; on these random vectors that is nearly all of them, the worst case)
    // and capped at a few lists (what the bound cannot guarantee on random data).
    let variants: [(label: String, configuration: PartitionedIndex.Configuration)] =
        [ScanPrecision.f32, .f16, .int8].map { ("\($0)", .init(scanPrecision: $0)) }
        + [0, 16].map { probes in
            (
                probes == 0 ? "int8 ivf" : "int8 ivf nprobe \(probes)",
                .init(scanPrecision: .int8, invertedFile: InvertedFileSettings(maximumProbes: probes, training: .manual))
            )
        }
    for (precision, configuration) in variants {
        let index = fixture.index(configuration)
        Benchmark("semantic hit 100k \(precision) (embed + search + read + inflate)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try fixture.semanticHit(embedder, index, prompt)) }
        }
        Benchmark("top-1 lookup 100k \(precision) (search + read + inflate)") { benchmark in
            for _ in benchmark.scaledIterations {
                let result = try index.search(partition: fixture.partition, query: fixture.queryVector, minimumSimilarity: 0.97, k: 4)
                guard let match = result.matches.first, let entry = try fixture.store.liveEntry(id: match.id) else {
                    fatalError("the fixture's own prompt must hit")
                }
                try fixture.store.recordHit(id: entry.id)
                blackHole(entry.body.count)
            }
        }
    }
    Benchmark("embed 12-token prompt") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try embedder.embedSynchronously(prompt))
        }
    }

    // What `heimdall serve` does by default: f16 embedding weights, int8 scan through an inverted
    // file probing the 16 nearest lists (embedding_precision, vector_precision, vector_index, ivf_nprobe).
    if let fast = try? LocalMiniLMEmbedder(precision: .f16) {
        let index = fixture.index(
            .init(scanPrecision: .int8, invertedFile: InvertedFileSettings(maximumProbes: 16, training: .manual)))
        Benchmark("semantic hit 100k, server defaults (f16 weights, int8 ivf nprobe 16)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try fixture.semanticHit(fast, index, prompt)) }
        }
        if let single = try? LocalMiniLMEmbedder(precision: .f16, threads: 1) {
            Benchmark("semantic hit 100k, server defaults on one thread") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try fixture.semanticHit(single, index, prompt)) }
            }
            Benchmark("embed 12-token prompt, f16 weights, one thread") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try single.embedSynchronously(prompt)) }
            }
        }
        Benchmark("embed 12-token prompt, f16 weights") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try fast.embedSynchronously(prompt))
            }
        }
    }
}

/// 100k random unit vectors in one partition (the worst case: partitions only shrink scans), one
/// of which is the real prompt's embedding with a stored ~2 KB chat.completion body.
final class SemanticFixture: @unchecked Sendable {
    let store: CacheStore
    let partition = PartitionKey("bench-partition".utf8)
    let vectors: [(id: String, vector: [Float])]
    let queryVector: [Float]

    init(entries: Int, embedder: LocalMiniLMEmbedder, prompt: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-bench-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try! CacheStore(path: directory.appendingPathComponent("bench.sqlite").path)
        queryVector = try! embedder.embedSynchronously(prompt).vector
        var generator = SystemRandomNumberGenerator()
        var vectors: [(String, [Float])] = []
        vectors.reserveCapacity(entries)
        for i in 0..<(entries - 1) {
            var v = (0..<queryVector.count).map { _ in Float.random(in: -1...1, using: &generator) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            vectors.append(("random-\(i)", v))
        }
        vectors.append(("the-answer", queryVector))
        self.vectors = vectors
        let body = Array(
            (#"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""#
                + String(repeating: "Paris is the capital and most populous city of France. ", count: 32) + #""}}]}"#).utf8)
        try! store.insert(
            CacheEntry(
                id: "the-answer", directKey: "k", partitionKey: "bench-partition", cacheKey: "default", tenant: "", route: "chat",
                provider: "openai", model: "gpt-4o-mini", status: 200, headers: [("content-type", "application/json")], body: body,
                ttlSeconds: 3600))
    }

    /// What the proxy does on a semantic hit, minus HTTP: embed, search, read and inflate the match.
    func semanticHit(_ embedder: LocalMiniLMEmbedder, _ index: PartitionedIndex, _ prompt: String) throws -> Int {
        let query = try embedder.embedSynchronously(prompt)
        let result = try index.search(partition: partition, query: query.vector, minimumSimilarity: 0.97, k: 4)
        guard let match = result.matches.first, let entry = try store.liveEntry(id: match.id) else {
            fatalError("the fixture's own prompt must hit")
        }
        try store.recordHit(id: entry.id)  // as CachePipeline does once the guard lets it through
        return entry.body.count
    }

    func index(_ configuration: PartitionedIndex.Configuration) -> PartitionedIndex {
        let index = PartitionedIndex(configuration: configuration)
        index.bulkLoad {
            for (id, vector) in vectors { try! index.insert(id: id, partition: partition, vector: vector) }
        }
        return index
    }
}
