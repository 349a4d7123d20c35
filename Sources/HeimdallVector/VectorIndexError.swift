/// Why a vector was rejected by the index.
public enum VectorIndexError: Error, Sendable, Hashable {
    /// The vector's length differs from the partition's dimension (fixed by its first vector).
    case dimensionMismatch(expected: Int, actual: Int)
    /// The vector is empty, all zeros, or contains NaN/infinity, so it has no direction.
    case invalidVector
}
