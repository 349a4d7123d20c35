import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallEvaluation

struct BenchTrainVerifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-verifier",
        abstract: "Train the hit verifier on part of the labelled pairs; report it on both parts.",
        discussion: """
            Splits the pairs with a seeded shuffle, fits a logistic regression over the pair features
            (cosine, word overlap, length, number/negation/antonym/entity mismatch, ...) on the
            training part, and, for each cosine threshold, picks the lowest probability cut-off whose
            false-hit rate on the training part (out-of-fold) stays under --max-false-hit. Prints
            precision, recall and false-hit rate of each (threshold, cut-off) on the training part
            and on the held-out part, and writes the weights with the cut-off of --serve-threshold
            (default: the threshold with the best out-of-fold training recall).
            Example: heimdall bench train-verifier --pairs data/qqp-pairs-10k.jsonl \\
              --scores-cache .build/qqp-cosines.txt --out Sources/HeimdallCore/HitVerifier+Trained.swift
            """)

    @Option(help: "JSONL file of labelled pairs.")
    var pairs: String

    @OptionGroup var embedderOptions: EmbedderOptions

    @OptionGroup var split: SplitOptions

    @Option(help: "Use only the first N pairs.")
    var limit: Int?

    @Flag(help: "Embed the bare texts instead of \"user: <text>\".")
    var raw = false

    @Option(
        name: .customLong("scores-cache"),
        help: "File keeping the pairs' cosines: written on the first run, read (if it matches) on later ones.")
    var scoresCache: String?

    @Option(help: "L2 penalty on the standardised weights.")
    var l2 = 0.001

    @Option(help: "Folds for the out-of-fold probabilities the cut-offs are chosen on (1: in-sample).")
    var folds = 5

    @Option(name: .customLong("max-false-hit"), help: "False-hit rate the cut-offs keep to on the training part.")
    var maxFalseHit = 0.01

    @Option(name: .customLong("threshold"), help: "Cosine threshold to calibrate a cut-off for (repeatable).")
    var thresholds: [Double] = [0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97]

    @Option(name: .customLong("serve-threshold"), help: "Threshold whose cut-off goes into the weights file.")
    var serveThreshold: Double?

    @Option(name: .customLong("min-cosine"), help: "Train only on pairs whose cosine reaches this.")
    var minCosine = 0.0

    @Option(name: .customLong("out"), help: "Write the weights: FILE.json (for --verifier-weights) or FILE.swift (built in).")
    var outputs: [String] = []

    func run() async throws {
        let all = try LabelledPairs.read(path: pairs, limit: limit)
        let prefix = raw ? "" : "user: "
        let scored = try await PairScores.load(all, embedder: embedderOptions, prefix: prefix, cache: scoresCache, quiet: false)
        let started = ContinuousClock.now
        let halves = try split.split(count: all.count)
        let similarities = scored.scores.map(\.similarity)
        let labels = all.map(\.duplicate)
        let features = zip(all, similarities).map { pair, similarity in
            PairFeatures(query: prefix + pair.a, candidate: prefix + pair.b, similarity: similarity).values
        }
        let trainRows = halves.train.filter { similarities[$0] >= minCosine }
        let training = VerifierTraining(
            rows: trainRows.map { features[$0] }, labels: trainRows.map { labels[$0] }, l2: l2, folds: folds, seed: split.seed)
        let probability = features.map(training.model.probability)
        // Out-of-fold probabilities for the training rows the fit used; rows below --min-cosine were
        // never fitted on, so the final model's probability is already out of sample for them.
        var trainProbability = probability
        for (row, p) in zip(trainRows, training.outOfFold) { trainProbability[row] = p }

        func part(_ indices: [Int], _ p: [Double]) -> (similarities: [Double], probabilities: [Double], labels: [Bool]) {
            (indices.map { similarities[$0] }, indices.map { p[$0] }, indices.map { labels[$0] })
        }
        let calibration = part(halves.train, trainProbability)
        let trainPart = part(halves.train, probability)
        let heldOutPart = part(halves.heldOut, probability)

        print(
            "\(scored.model); \(halves.train.count) training pairs (\(trainRows.count) with cosine >= \(minCosine)), \(halves.heldOut.count) held out; seed \(split.seed)"
        )
        print(Self.baselines(all, halves: halves, scores: scored.scores, prefix: prefix, maxFalseHit: maxFalseHit))
        print(
            "verifier: cut-off per threshold chosen for false-hit rate <= \(maxFalseHit) on the training part (\(folds)-fold out-of-fold)")
        print(
            "threshold  cut-off  | train out-of-fold: recall false-hit | train: precision recall false-hit | held-out: precision recall false-hit  served"
        )
        var best: (threshold: Double, cutoff: Double, recall: Double)?
        for threshold in thresholds.sorted() {
            guard
                let cutoff = VerifierTraining.cutoff(
                    similarities: calibration.similarities, probabilities: calibration.probabilities, labels: calibration.labels,
                    threshold: threshold, maxFalseHitRate: maxFalseHit)
            else { continue }
            let outOfFold = VerifierTraining.gated(
                similarities: calibration.similarities, probabilities: calibration.probabilities, labels: calibration.labels,
                threshold: threshold
            ).row(threshold: cutoff)
            let train = VerifierTraining.gated(
                similarities: trainPart.similarities, probabilities: trainPart.probabilities, labels: trainPart.labels,
                threshold: threshold
            ).row(threshold: cutoff)
            let heldOut = VerifierTraining.gated(
                similarities: heldOutPart.similarities, probabilities: heldOutPart.probabilities, labels: heldOutPart.labels,
                threshold: threshold
            ).row(threshold: cutoff)
            print(
                String(
                    format: "%9.4f  %7.4f  |                    %6.3f %9.4f |        %9.3f %6.3f %9.4f |           %9.3f %6.3f %9.4f  %6d",
                    threshold, cutoff, outOfFold.recall, outOfFold.falseHitRate, train.precision, train.recall, train.falseHitRate,
                    heldOut.precision, heldOut.recall, heldOut.falseHitRate,
                    heldOut.truePositives + heldOut.falsePositives))
            if serveThreshold == threshold || (serveThreshold == nil && outOfFold.recall > best?.recall ?? -1) {
                best = (threshold, cutoff, outOfFold.recall)
            }
        }
        print("weights (standardised features):")
        for (name, weight) in zip(PairFeatures.names, training.model.weights) {
            print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%+.3f", weight))")
        }
        print("trained and calibrated in \(ContinuousClock.now - started)")
        guard let best else { throw ValidationError("no threshold reaches the false-hit target") }
        print(String(format: "shipping threshold %.4f with cut-off %.4f", best.threshold, best.cutoff))
        let verifier = HitVerifier(
            means: training.model.means, scales: training.model.scales, weights: training.model.weights, bias: training.model.bias,
            cutoff: best.cutoff, calibratedThreshold: best.threshold, trainedWith: commandLine)
        for output in outputs {
            let text = output.hasSuffix(".swift") ? verifier.swiftSource : verifier.jsonText
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }

    /// Plain cosine and the rule guard, each with its threshold chosen on the training part and
    /// reported on both parts: the numbers the verifier has to beat, measured the same way.
    static func baselines(
        _ pairs: [LabelledPairs.Pair], halves: SeededSplit, scores: [HitRateEvaluation.LabelledScore], prefix: String,
        maxFalseHit: Double
    ) -> String {
        var lines = [
            "baseline                   threshold |                                     | train: precision recall false-hit | held-out: precision recall false-hit"
        ]
        for variant in ["none", "numbers,negation,antonyms"] {
            let guarded = BenchHitRateCommand.guarded(pairs, scores: scores, prefix: prefix, by: HitQualityGuard(variant)!)
            let train = HitRateEvaluation(scores: halves.train.map { guarded[$0] })
            let heldOut = HitRateEvaluation(scores: halves.heldOut.map { guarded[$0] })
            guard let chosen = train.threshold(maxFalseHitRate: maxFalseHit) else { continue }
            let h = heldOut.row(threshold: chosen.threshold)
            lines.append(
                String(
                    format: "%@ %9.4f |                                     |        %9.3f %6.3f %9.4f |           %9.3f %6.3f %9.4f",
                    ("guard " + variant).padding(toLength: 26, withPad: " ", startingAt: 0), chosen.threshold, chosen.precision,
                    chosen.recall, chosen.falseHitRate, h.precision, h.recall, h.falseHitRate))
        }
        return lines.joined(separator: "\n")
    }

    /// The command as run, recorded in the weights so they can be reproduced.
    var commandLine: String {
        "heimdall bench train-verifier " + CommandLine.arguments.dropFirst(3).joined(separator: " ")
    }
}
