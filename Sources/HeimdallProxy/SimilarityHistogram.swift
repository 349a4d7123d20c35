/// Cosine similarities of the semantic hits served, in fixed buckets that are fine where the
/// calibrated thresholds live (0.9–1.0) and coarse below.
struct SimilarityHistogram: Sendable {
    /// Upper bounds, inclusive; a similarity lands in the first bucket whose bound it does not exceed.
    static let bounds: [Double] = [
        0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.975, 0.98, 0.985, 0.99, 0.995, 1.0,
    ]

    private(set) var counts = [Int](repeating: 0, count: bounds.count)
    private(set) var count = 0
    private(set) var sum = 0.0
    private(set) var min = 1.0
    private(set) var max = 0.0

    mutating func add(_ similarity: Double) {
        let index = Self.bounds.firstIndex { similarity <= $0 } ?? Self.bounds.count - 1
        counts[index] += 1
        count += 1
        sum += similarity
        min = Swift.min(min, similarity)
        max = Swift.max(max, similarity)
    }

    func summary() -> StatsSnapshot.Similarity {
        StatsSnapshot.Similarity(
            count: count, mean: count == 0 ? 0 : sum / Double(count), min: count == 0 ? 0 : min, max: max,
            buckets: zip(Self.bounds, counts).map { StatsSnapshot.Bucket(le: $0, count: $1) })
    }
}
