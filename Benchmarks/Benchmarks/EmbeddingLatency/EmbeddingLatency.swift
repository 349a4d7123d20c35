import Benchmark
import Foundation
import HeimdallEmbedding

/// Latency of one `embed` call on one thread, for the two texts of the onnxruntime anchors in
/// docs/minilm-recipe.md ("Anchors measured": 2.61 ms for 12 ids, 26.11 ms for 128 ids),
/// with f32 and with f16 linear weights.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 5,
        maxDuration: .seconds(10),
        maxIterations: 200
    )

    let embedder: LocalMiniLMEmbedder
    let halfEmbedder: LocalMiniLMEmbedder
    do {
        embedder = try LocalMiniLMEmbedder(precision: .f32)
        halfEmbedder = try LocalMiniLMEmbedder(verification: .sizeAndStructure, precision: .f16)
    } catch {
        print("EmbeddingLatency: skipping the MiniLM benchmarks: \(error)")
        return
    }
    let short = AnchorTexts.twelveTokens
    let long = AnchorTexts.hundredTwentyEightTokens()
    precondition(embedder.tokenIDs(short).count == 12, "the short anchor text must be 12 ids")
    precondition(embedder.tokenIDs(long).count == 128, "the long anchor text must be 128 ids")

    Benchmark("MiniLM embed 12 tokens") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try embedder.embedSynchronously(short)) }
    }
    Benchmark("MiniLM embed 128 tokens") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try embedder.embedSynchronously(long)) }
    }
    // The same calls with f16 weights (embedding_precision "f16"): half the bytes streamed.
    Benchmark("MiniLM embed 12 tokens f16") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try halfEmbedder.embedSynchronously(short)) }
    }
    Benchmark("MiniLM embed 128 tokens f16") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try halfEmbedder.embedSynchronously(long)) }
    }
    Benchmark("WordPiece tokenize 128 tokens") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(embedder.tokenIDs(long)) }
    }
    Benchmark("Hashed embed 12 tokens") { benchmark in
        let hashed = HashedEmbedder()
        for _ in benchmark.scaledIterations { blackHole(hashed.embedSynchronously(short)) }
    }
}

/// The anchor texts: S12 verbatim, S128 = the first 91 words of fixture row q38.
enum AnchorTexts {
    static let twelveTokens = "What is the capital city of France and Germany?"

    static func hundredTwentyEightTokens() -> String {
        let url = fixtureDirectory().appendingPathComponent("minilm-reference.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("cannot read \(url.path)")
        }
        for line in text.split(separator: "\n") {
            guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                row["id"] as? String == "q38", let q38 = row["text"] as? String
            else { continue }
            return q38.split(whereSeparator: \.isWhitespace).prefix(91).joined(separator: " ")
        }
        fatalError("row q38 not found in \(url.path)")
    }

    /// The main package's test resources (Tests/HeimdallEmbeddingTests/Resources), found from this file.
    static func fixtureDirectory() -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Tests/HeimdallEmbeddingTests/Resources", isDirectory: true)
    }
}
