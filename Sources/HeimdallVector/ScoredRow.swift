/// A row of a ``VectorStorage`` with its similarity score from a scan.
public struct ScoredRow: Sendable, Hashable {
    /// Row position in the storage (positions change when rows are swap-removed).
    public let row: Int
    /// Dot product in the precision of the scan that produced it.
    public let score: Float

    public init(row: Int, score: Float) {
        self.row = row
        self.score = score
    }
}
