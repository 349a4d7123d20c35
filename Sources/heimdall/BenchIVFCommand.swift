import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallEmbedding
import HeimdallVector

struct BenchIVFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ivf",
        abstract: "Compare the inverted-file vector index with the exact flat scan on real embeddings.",
        discussion: """
            Embeds every question of a labelled-pairs file ("user: <text>", as the proxy embeds a
            one-message chat). The corpus is every question except the first ones of duplicate
            pairs, which are the queries. For each probe limit it reports how often the inverted
            file finds the flat scan's top-1 (recall@1, no threshold) and the same hit or miss with
            the same entry at --threshold (decision agreement), how many vectors a lookup compares,
            and the lookup latency. Then the same at --entries vectors: the corpus plus perturbed
            copies (v + noise · u, u a random unit vector, normalised), a stand-in for a large
            partition with real structure.
            Example: heimdall bench ivf --pairs data/qqp-pairs-10k.jsonl --vectors-cache /tmp/qqp.vectors
            """)

    @Option(help: "JSONL file of labelled pairs.")
    var pairs: String

    @OptionGroup var embedderOptions: EmbedderOptions

    @Option(name: .customLong("vectors-cache"), help: "File keeping the embeddings: written on the first run, read on later ones.")
    var vectorsCache: String?

    @Option(help: "Similarity threshold of the hit/miss decisions.")
    var threshold: Float = Float(HeimdallConfiguration.defaultThreshold)

    @Option(help: "Probe limits to compare (0 = every list the threshold bound keeps).")
    var nprobe: [Int] = [1, 2, 4, 8, 16, 32, 64, 0]

    @Option(name: .customLong("lists-per-sqrt"), help: "Lists per square root of the corpus size.")
    var listsPerSquareRoot: [Double] = [1]

    @Option(help: "Size of the synthetic large partition (0 = skip it).")
    var entries = 100_000

    @Option(help: "Length of the noise added to each perturbed copy (cosine with its source ≈ 1/√(1+noise²)).")
    var noise: Float = 0.5

    @Option(name: .customLong("precision"), help: "Vector scan precision: f32, f16 or int8.")
    var precisionName = "int8"

    var precision: ScanPrecision { ScanPrecision(rawValue: precisionName) ?? .int8 }

    func validate() throws {
        guard ScanPrecision(rawValue: precisionName) != nil else { throw ValidationError("--precision must be f32, f16 or int8") }
    }

    func run() async throws {
        let all = try LabelledPairs.read(path: pairs, limit: nil)
        let texts = Array(Set(all.flatMap { ["user: " + $0.a, "user: " + $0.b] })).sorted()
        let vectors = try await Self.embeddings(texts, embedder: embedderOptions, cache: vectorsCache)
        let position = Dictionary(uniqueKeysWithValues: texts.enumerated().map { ($1, $0) })
        let queryTexts = Set(all.filter(\.duplicate).map { "user: " + $0.a })
        let corpus = texts.indices.filter { !queryTexts.contains(texts[$0]) }.map { (id: "q\($0)", vector: vectors[$0]) }
        let queries = all.filter(\.duplicate).map { vectors[position["user: " + $0.a]!] }
        print("corpus \(corpus.count) questions, \(queries.count) queries (first question of each duplicate pair), threshold \(threshold)")
        try evaluate(corpus: corpus, queries: queries)
        guard entries > corpus.count else { return }
        var generator = SplitMix64(seed: 0x5045_5254)
        var large = corpus
        large.reserveCapacity(entries)
        while large.count < entries {
            let source = corpus[large.count % corpus.count]
            large.append((id: "\(source.id)-copy\(large.count)", vector: Self.perturbed(source.vector, noise: noise, using: &generator)))
        }
        print("\n\(entries) entries: the corpus plus perturbed copies (noise \(noise)), the same queries")
        try evaluate(corpus: large, queries: queries)
    }

    func evaluate(corpus: [(id: String, vector: [Float])], queries: [[Float]]) throws {
        let partition = PartitionKey([0])
        let flat = PartitionedIndex(configuration: .init(scanPrecision: precision))
        let flatLoad = try Self.time {
            try flat.bulkLoad { for (id, v) in corpus { try flat.insert(id: id, partition: partition, vector: v) } }
        }
        let exact = try queries.map { try flat.search(partition: partition, query: $0, minimumSimilarity: -1, k: 1) }
        var decisions: [SemanticSearchResult] = []
        let flatLatency = try Self.latencies(queries) {
            try flat.search(partition: partition, query: $0, minimumSimilarity: threshold, k: 4)
        }
        for q in queries { decisions.append(try flat.search(partition: partition, query: q, minimumSimilarity: threshold, k: 4)) }
        print(
            String(
                format: "flat: load %.2f s, lookup p50 %.3f ms p99 %.3f ms, %d hits of %d", flatLoad, flatLatency.p50, flatLatency.p99,
                decisions.filter { $0.best != nil }.count, queries.count))
        for perSqrt in listsPerSquareRoot {
            let settings = InvertedFileSettings(minimumVectors: 1, listsPerSquareRoot: perSqrt, training: .manual)
            let ivf = PartitionedIndex(configuration: .init(scanPrecision: precision, invertedFile: settings))
            var trained: Double = 0
            let load = try Self.time {
                try ivf.bulkLoad {
                    for (id, v) in corpus { try ivf.insert(id: id, partition: partition, vector: v) }
                    trained = Self.time { _ = ivf.trainDuePartitions() }
                }
            }
            print(
                String(
                    format: "ivf %@: load %.2f s (training %.2f s)", "\(ivf.layout(partition: partition).map { "\($0)" } ?? "-")", load,
                    trained))
            print("  nprobe  recall@1  agree@t  scanned(t)  p50 ms  p99 ms   radius-bound lists kept at t: see nprobe 0")
            for limit in nprobe {
                // Trained again (same seed, so the same lists) rather than sharing `ivf`, whose probe limit is fixed.
                let index = PartitionedIndex(
                    configuration: .init(scanPrecision: precision, invertedFile: settings.with(maximumProbes: limit)))
                try index.bulkLoad { for (id, v) in corpus { try index.insert(id: id, partition: partition, vector: v) } }
                var sameTop = 0
                var agree = 0
                var scanned = 0
                for (q, (truth, decision)) in zip(queries, zip(exact, decisions)) {
                    let top = try index.search(partition: partition, query: q, minimumSimilarity: -1, k: 1)
                    if top.best?.id == truth.best?.id { sameTop += 1 }
                    let found = try index.search(partition: partition, query: q, minimumSimilarity: threshold, k: 4)
                    if found.best?.id == decision.best?.id { agree += 1 }
                    scanned += found.scannedVectors
                }
                let latency = try Self.latencies(queries) {
                    try index.search(partition: partition, query: $0, minimumSimilarity: threshold, k: 4)
                }
                print(
                    String(
                        format: "  %6d  %7.2f%%  %6.2f%%  %10.0f  %6.3f  %6.3f", limit, 100 * Double(sameTop) / Double(queries.count),
                        100 * Double(agree) / Double(queries.count), Double(scanned) / Double(queries.count), latency.p50, latency.p99))
            }
        }
    }

    static func perturbed(_ v: [Float], noise: Float, using generator: inout SplitMix64) -> [Float] {
        var u = (0..<v.count).map { _ in Float.random(in: -1...1, using: &generator) }
        let un = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in u.indices { u[j] = v[j] + noise * u[j] / un }
        let n = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return u.map { $0 / n }
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let started = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Milliseconds per call, p50 and p99, one pass over the queries after one warm-up pass.
    static func latencies(_ queries: [[Float]], _ body: ([Float]) throws -> SemanticSearchResult) throws -> (p50: Double, p99: Double) {
        for q in queries.prefix(200) { _ = try body(q) }
        var samples: [Double] = []
        for q in queries { samples.append(try time { _ = try body(q) } * 1000) }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 99 / 100])
    }

    /// The texts' embeddings, from `cache` when it holds exactly these texts.
    static func embeddings(_ texts: [String], embedder options: EmbedderOptions, cache: String?) async throws -> [[Float]] {
        let embedder = try options.make()
        let header =
            "heimdall vectors v1 embedder=\(embedder.provider)/\(embedder.model) texts=\(texts.count) sha256=\(Digest.sha256Hex(texts.joined(separator: "\u{1}")))\n"
        if let cache, let data = FileManager.default.contents(atPath: cache), data.starts(with: Data(header.utf8)) {
            let floats = data.dropFirst(header.utf8.count).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            let d = floats.count / texts.count
            return texts.indices.map { Array(floats[$0 * d..<($0 + 1) * d]) }
        }
        let progress = ProgressBar(total: texts.count)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let vectors = try await withThrowingTaskGroup(of: [(Int, [Float])].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var results: [(Int, [Float])] = []
                    for index in stride(from: worker, to: texts.count, by: workers) {
                        results.append((index, try await embedder.embed(texts[index]).vector))
                        progress.advance()
                    }
                    return results
                }
            }
            var all = [[Float]](repeating: [], count: texts.count)
            for try await batch in group { for (index, v) in batch { all[index] = v } }
            progress.finish()
            return all
        }
        if let cache {
            var data = Data(header.utf8)
            for v in vectors { v.withUnsafeBytes { data.append(contentsOf: $0) } }
            try data.write(to: URL(fileURLWithPath: cache))
        }
        return vectors
    }
}

extension InvertedFileSettings {
    fileprivate func with(maximumProbes: Int) -> InvertedFileSettings {
        var copy = self
        copy.maximumProbes = maximumProbes
        return copy
    }
}
