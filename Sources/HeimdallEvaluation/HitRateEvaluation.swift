import HeimdallCore

/// Hit quality of a similarity threshold on labelled pairs: "would serving b's cached answer
/// for a be right?" is exactly the pair's `duplicate` label (docs/behaviour.md §7).
public struct HitRateEvaluation: Sendable {
    public struct LabelledScore: Sendable {
        public var similarity: Double
        public var duplicate: Bool
        public init(similarity: Double, duplicate: Bool) {
            self.similarity = similarity
            self.duplicate = duplicate
        }
    }

    /// One threshold's outcome. A pair is "served" when its similarity reaches the threshold.
    public struct Row: Sendable, Equatable {
        public var threshold: Double
        public var truePositives: Int
        public var falsePositives: Int
        /// Of the pairs served, the share that were duplicates (1 when nothing is served).
        public var precision: Double
        /// Of the duplicates, the share served.
        public var recall: Double
        /// Of the non-duplicates, the share served: wrong answers a cache would give.
        public var falseHitRate: Double
    }

    public let scores: [LabelledScore]
    public let duplicates: Int
    public let nonDuplicates: Int

    public init(scores: [LabelledScore]) {
        self.scores = scores
        duplicates = scores.filter(\.duplicate).count
        nonDuplicates = scores.count - duplicates
    }

    public func row(threshold: Double) -> Row {
        var tp = 0
        var fp = 0
        for score in scores where score.similarity >= threshold {
            if score.duplicate { tp += 1 } else { fp += 1 }
        }
        return Row(
            threshold: threshold, truePositives: tp, falsePositives: fp,
            precision: tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp),
            recall: duplicates == 0 ? 0 : Double(tp) / Double(duplicates),
            falseHitRate: nonDuplicates == 0 ? 0 : Double(fp) / Double(nonDuplicates))
    }

    public func rows(thresholds: [Double]) -> [Row] { thresholds.map(row) }

    /// The lowest threshold (most duplicates served) whose false-hit rate stays at or under
    /// `maxFalseHitRate`, searched over every distinct similarity so the answer is exact.
    public func threshold(maxFalseHitRate: Double) -> Row? {
        let candidates = Set(scores.map(\.similarity)).sorted()
        // The false-hit rate only falls as the threshold rises: binary search the first that qualifies.
        var low = 0
        var high = candidates.count
        while low < high {
            let mid = (low + high) / 2
            if row(threshold: candidates[mid]).falseHitRate <= maxFalseHitRate { high = mid } else { low = mid + 1 }
        }
        return low < candidates.count ? row(threshold: candidates[low]) : nil
    }

    /// The default grid: coarse below 0.8, fine above, where the useful thresholds are.
    public static let defaultThresholds: [Double] =
        // From integers: accumulating 0.01 in floating point skips the last step (0.99).
        stride(from: 50, to: 80, by: 5).map { Double($0) / 100 } + (80...99).map { Double($0) / 100 }
}
