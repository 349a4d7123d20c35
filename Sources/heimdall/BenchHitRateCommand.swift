import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallEmbedding
import HeimdallEvaluation

struct BenchHitRateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hitrate",
        abstract: "Offline hit-quality evaluation of semantic thresholds on labelled pairs.",
        discussion: """
            Reads JSONL lines {"a": "...", "b": "...", "duplicate": true|false}, embeds both sides as
            the proxy would embed a one-message chat ("user: <text>"), and prints for each threshold
            the precision, recall and false-hit rate of serving b's cached answer for a, then the
            lowest threshold whose false-hit rate stays under --max-false-hit.
            Example: heimdall bench hitrate --pairs data/qqp-pairs-10k.jsonl
            """)

    @Option(help: "JSONL file of labelled pairs.")
    var pairs: String

    @OptionGroup var embedderOptions: EmbedderOptions

    @Option(name: .customLong("max-false-hit"), help: "Target false-hit rate for the recommended threshold.")
    var maxFalseHit = 0.01

    @Option(help: "Use only the first N pairs.")
    var limit: Int?

    @Option(name: .customLong("threshold"), help: "Also evaluate this threshold (repeatable).")
    var extraThresholds: [Double] = []

    @Flag(help: "Embed the bare texts instead of \"user: <text>\".")
    var raw = false

    @Option(
        name: .customLong("guard"),
        help: "Hit-quality checks applied before serving: none, all, or a list of numbers,negation,antonyms,entities,verifier.")
    var guardChecks = "none"

    @Option(
        name: .customLong("verifier-weights"),
        help: "Weights JSON from `bench train-verifier` for the verifier check (default: the built-in weights).")
    var verifierWeights: String?

    @Option(help: "Evaluate all pairs, or only the train or held-out part of the --train-fraction/--seed split.")
    var subset = "all"

    @OptionGroup var split: SplitOptions

    @Option(
        name: .customLong("scores-cache"),
        help: "File keeping the pairs' cosines: written on the first run, read (if it matches) on later ones.")
    var scoresCache: String?

    @Flag(name: .customLong("compare-guards"), help: "Embed once, then summarise every guard combination.")
    var compareGuards = false

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func run() async throws {
        guard var hitGuard = HitQualityGuard(guardChecks) else {
            throw ValidationError(
                "--guard: expected none, all, or a list of \(HitQualityGuard.Check.allCases.map(\.rawValue).joined(separator: ","))")
        }
        if let verifierWeights { hitGuard.verifier = try Self.verifier(at: verifierWeights) }
        let all = try LabelledPairs.read(path: pairs, limit: limit)
        let prefix = raw ? "" : "user: "
        let scored = try await PairScores.load(all, embedder: embedderOptions, prefix: prefix, cache: scoresCache, quiet: json)
        let indices: [Int]
        switch subset {
        case "all": indices = Array(all.indices)
        case "train": indices = try split.split(count: all.count).train
        case "held-out": indices = try split.split(count: all.count).heldOut
        default: throw ValidationError("--subset must be all, train or held-out")
        }
        let labelled = indices.map { all[$0] }
        let scores = indices.map { scored.scores[$0] }
        if compareGuards {
            print(
                Self.guardComparison(
                    labelled, scores: scores, prefix: prefix, verifier: hitGuard.verifier, maxFalseHit: maxFalseHit, at: extraThresholds))
            return
        }
        let evaluation = HitRateEvaluation(scores: Self.guarded(labelled, scores: scores, prefix: prefix, by: hitGuard))
        let rows = evaluation.rows(thresholds: Array(Set(HitRateEvaluation.defaultThresholds + extraThresholds)).sorted())
        let recommended = evaluation.threshold(maxFalseHitRate: maxFalseHit)
        if json {
            print(
                HitRateReport.json(
                    evaluation: evaluation, rows: rows, recommended: recommended, maxFalseHit: maxFalseHit, model: scored.model))
        } else {
            print(
                HitRateReport.table(
                    evaluation: evaluation, rows: rows, recommended: recommended, maxFalseHit: maxFalseHit, model: scored.model,
                    elapsed: scored.elapsed))
        }
    }

    static func verifier(at path: String) throws -> HitVerifier {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do {
            return try HitVerifier(json: String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// Scores with every pair the guard rejects made unservable (similarity -1).
    /// The guard sees the texts as the proxy would (`user: <text>`), and each pair's cosine.
    static func guarded(
        _ pairs: [LabelledPairs.Pair], scores: [HitRateEvaluation.LabelledScore], prefix: String, by hitGuard: HitQualityGuard
    ) -> [HitRateEvaluation.LabelledScore] {
        zip(pairs, scores).map { pair, score in
            hitGuard.accepts(query: prefix + pair.a, candidate: prefix + pair.b, similarity: score.similarity)
                ? score : .init(similarity: -1, duplicate: score.duplicate)
        }
    }

    /// One line per guard combination: the lowest threshold under the false-hit target and its recall.
    static func guardComparison(
        _ pairs: [LabelledPairs.Pair], scores: [HitRateEvaluation.LabelledScore], prefix: String, verifier: HitVerifier,
        maxFalseHit: Double, at thresholds: [Double]
    ) -> String {
        let variants = [
            "none", "numbers", "negation", "antonyms", "entities", "numbers,negation", "numbers,negation,antonyms",
            "numbers,negation,antonyms,entities", "verifier", "numbers,negation,antonyms,verifier",
        ]
        var lines = [
            String(format: "guard                              rejects dup/non  lowest t (FHR<=%.3f)  recall  false-hit", maxFalseHit)
        ]
        for variant in variants {
            let hitGuard = HitQualityGuard(checks: HitQualityGuard(variant)!.checks, verifier: verifier)
            let guardedScores = guarded(pairs, scores: scores, prefix: prefix, by: hitGuard)
            let rejected = zip(scores, guardedScores).filter { $0.similarity != $1.similarity }
            let dupRejected = rejected.filter { $0.0.duplicate }.count
            let evaluation = HitRateEvaluation(scores: guardedScores)
            let best = evaluation.threshold(maxFalseHitRate: maxFalseHit)
            lines.append(
                String(
                    format: "%@ %6d/%-6d  %19.4f  %6.3f  %9.4f", hitGuard.description.padding(toLength: 34, withPad: " ", startingAt: 0),
                    dupRejected, rejected.count - dupRejected,
                    best?.threshold ?? .nan, best?.recall ?? 0, best?.falseHitRate ?? 0))
            for t in thresholds {
                let row = evaluation.row(threshold: t)
                lines.append(
                    String(format: "    at %.4f: precision %.3f recall %.3f false-hit %.4f", t, row.precision, row.recall, row.falseHitRate)
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Embeds every pair on all cores (the embedder is thread-safe) and returns cosine + label.
    static func score(
        _ pairs: [LabelledPairs.Pair], with model: any Embedder, prefix: String, progress: ProgressBar
    ) async throws -> [HitRateEvaluation.LabelledScore] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: [(Int, HitRateEvaluation.LabelledScore)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var results: [(Int, HitRateEvaluation.LabelledScore)] = []
                    for index in stride(from: worker, to: pairs.count, by: workers) {
                        let pair = pairs[index]
                        let a = try await model.embed(prefix + pair.a)
                        let b = try await model.embed(prefix + pair.b)
                        results.append((index, .init(similarity: Double(a.cosine(b)), duplicate: pair.duplicate)))
                        progress.advance()
                    }
                    return results
                }
            }
            var all = [HitRateEvaluation.LabelledScore?](repeating: nil, count: pairs.count)
            for try await batch in group {
                for (index, score) in batch { all[index] = score }
            }
            progress.finish()
            return all.compactMap { $0 }
        }
    }
}
