import HeimdallCore

/// How `bench train-verifier` turns labelled pairs into a `HitVerifier`: a logistic regression
/// on the training rows, and, for each cosine threshold, the lowest probability cut-off whose
/// false-hit rate stays under the target. Cut-offs are chosen on out-of-fold probabilities (each
/// training row scored by a model that did not see it), so they are not flattered by the fit.
public struct VerifierTraining: Sendable {
    public let model: LogisticRegression
    /// For each training row, the probability from the fold model that left it out.
    public let outOfFold: [Double]

    public init(rows: [[Double]], labels: [Bool], l2: Double, folds: Int, seed: UInt64) {
        model = LogisticRegression(rows: rows, labels: labels, l2: l2)
        guard folds > 1 else {
            outOfFold = rows.map(model.probability)
            return
        }
        // Fold k holds every folds-th row of a seeded shuffle.
        let order = SeededSplit(count: rows.count, trainFraction: 0, seed: seed ^ 0x5EED).shuffled
        var fold = [Int](repeating: 0, count: rows.count)
        for (position, row) in order.enumerated() { fold[row] = position % folds }
        var probabilities = [Double](repeating: 0, count: rows.count)
        for k in 0..<folds {
            let inside = rows.indices.filter { fold[$0] != k }
            let foldModel = LogisticRegression(rows: inside.map { rows[$0] }, labels: inside.map { labels[$0] }, l2: l2)
            for i in rows.indices where fold[i] == k { probabilities[i] = foldModel.probability(rows[i]) }
        }
        outOfFold = probabilities
    }

    /// What a verifier-guarded cache serves at `threshold`, in `HitRateEvaluation` terms: a pair's
    /// score is its probability when its cosine reaches the threshold and -1 (never served)
    /// otherwise, so a row at cut-off `c` counts exactly the pairs with cosine ≥ threshold and
    /// probability ≥ c, over all duplicates and all non-duplicates as in plain `bench hitrate`.
    public static func gated(
        similarities: [Double], probabilities: [Double], labels: [Bool], threshold: Double
    ) -> HitRateEvaluation {
        HitRateEvaluation(
            scores: labels.indices.map { i in
                .init(similarity: similarities[i] >= threshold ? probabilities[i] : -1, duplicate: labels[i])
            })
    }

    /// The lowest cut-off (most duplicates served) at `threshold` whose false-hit rate stays under the target.
    public static func cutoff(
        similarities: [Double], probabilities: [Double], labels: [Bool], threshold: Double, maxFalseHitRate: Double
    ) -> Double? {
        let evaluation = gated(similarities: similarities, probabilities: probabilities, labels: labels, threshold: threshold)
        // A cut-off of -1 would "serve" pairs below the cosine threshold: never below 0.
        return evaluation.threshold(maxFalseHitRate: maxFalseHitRate).map { max($0.threshold, 0) }
    }
}
