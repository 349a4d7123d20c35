/// What a similarity lookup found in one partition.
public struct SemanticSearchResult: Sendable, Hashable {
    /// Entries at or above the requested minimum similarity, best first, at most `k`.
    public let matches: [SemanticMatch]
    /// The highest exact similarity seen in the partition, even when it is below the threshold, so
    /// a miss can still report how close it came. `nil` when the partition is empty.
    ///
    /// With an `f16`/`int8` scan this is the best re-scored candidate: the true maximum unless
    /// quantisation pushed the true best out of the candidate set. With an inverted file it is the
    /// best of the probed lists (always including the nearest centroid's).
    public let bestSimilarity: Float?
    /// Vectors the search compared with the query: the partition's size for a flat scan, the
    /// probed lists' sizes for an inverted file (centroids not counted).
    public let scannedVectors: Int

    public init(matches: [SemanticMatch], bestSimilarity: Float?, scannedVectors: Int = 0) {
        self.matches = matches
        self.bestSimilarity = bestSimilarity
        self.scannedVectors = scannedVectors
    }

    /// An empty partition's result.
    public static let empty = SemanticSearchResult(matches: [], bestSimilarity: nil)

    /// The best match, if any reached the threshold.
    public var best: SemanticMatch? { matches.first }
}
