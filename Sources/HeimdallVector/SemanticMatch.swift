/// One stored entry that is similar to a query.
public struct SemanticMatch: Sendable, Hashable, CustomStringConvertible {
    /// The entry id given to ``PartitionedIndex/insert(id:partition:vector:)``.
    public let id: String
    /// Exact cosine similarity (float32 dot product of the unit-normalised vectors), in [-1, 1].
    public let similarity: Float

    public init(id: String, similarity: Float) {
        self.id = id
        self.similarity = similarity
    }

    public var description: String { "\(id) (\(similarity))" }
}
