import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallEmbedding
import HeimdallEvaluation

/// The cosines of labelled pairs, embedded once: with `--scores-cache FILE` they are written
/// after the first run and read back by later ones (same pairs, embedder and prefix), so
/// re-evaluating guards or retraining the verifier skips the model.
struct PairScores {
    var scores: [HitRateEvaluation.LabelledScore]
    /// `provider/model` of the embedder.
    var model: String
    /// Time spent embedding (zero when read from the cache).
    var elapsed: Duration

    static func load(
        _ pairs: [LabelledPairs.Pair], embedder options: EmbedderOptions, prefix: String, cache: String?, quiet: Bool
    ) async throws -> PairScores {
        let embedder = try options.make()
        // The weights' precision changes the cosines, so it is part of the name (and the cache header).
        let precision = (embedder as? LocalMiniLMEmbedder).map { " (\($0.precision) weights)" } ?? ""
        let model = "\(embedder.provider)/\(embedder.model)\(precision)"
        let header = Self.header(pairs, model: model, prefix: prefix)
        if let cache, let cached = try Self.read(cache, header: header, pairs: pairs) {
            return PairScores(scores: cached, model: model, elapsed: .zero)
        }
        let started = ContinuousClock.now
        let scores = try await BenchHitRateCommand.score(
            pairs, with: embedder, prefix: prefix, progress: ProgressBar(total: pairs.count, quiet: quiet))
        let elapsed = ContinuousClock.now - started
        if let cache {
            let lines = [header] + scores.map { Float($0.similarity).description }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: cache))
        }
        return PairScores(scores: scores, model: model, elapsed: elapsed)
    }

    /// Names what the cosines depend on: a cache written for other pairs or another embedder is ignored.
    static func header(_ pairs: [LabelledPairs.Pair], model: String, prefix: String) -> String {
        let digest = Digest.sha256Hex(pairs.map { $0.a + "\u{1}" + $0.b }.joined(separator: "\u{2}"))
        return
            "# heimdall pair cosines v1 embedder=\(model) prefix=\(CanonicalJSON.string(.string(prefix))) pairs=\(pairs.count) sha256=\(digest)"
    }

    static func read(_ path: String, header: String, pairs: [LabelledPairs.Pair]) throws -> [HitRateEvaluation.LabelledScore]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == header, lines.count == pairs.count + 1 else {
            FileHandle.standardError.write(Data("\(path) was written for other pairs or another embedder: re-embedding\n".utf8))
            return nil
        }
        var scores: [HitRateEvaluation.LabelledScore] = []
        for (pair, line) in zip(pairs, lines.dropFirst()) {
            guard let similarity = Float(line) else { throw ValidationError("\(path): not a number: \(line)") }
            scores.append(.init(similarity: Double(similarity), duplicate: pair.duplicate))
        }
        return scores
    }
}
