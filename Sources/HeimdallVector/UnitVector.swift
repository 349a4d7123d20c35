/// Validation and normalisation of incoming embeddings.
///
/// The index stores unit vectors so that a dot product is the cosine similarity; normalising once
/// at insert (and once per query) keeps every scan a plain dot product.
enum UnitVector {
    /// The vector scaled to length 1, or `nil` if it is empty, zero, or not finite.
    static func normalized(_ vector: [Float]) -> [Float]? {
        guard !vector.isEmpty else { return nil }
        // Accumulate in Double: a 1536-d sum of squares in Float loses a few ulps we can keep.
        var sumOfSquares = 0.0
        for value in vector {
            guard value.isFinite else { return nil }
            sumOfSquares += Double(value) * Double(value)
        }
        guard sumOfSquares > 0, sumOfSquares.isFinite else { return nil }
        let inverse = 1 / sumOfSquares.squareRoot()
        return vector.map { Float(Double($0) * inverse) }
    }
}
