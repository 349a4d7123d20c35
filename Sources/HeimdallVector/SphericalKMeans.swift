import HeimdallCore

/// Spherical k-means on unit vectors: centroids are the normalised means of their members, and a
/// vector belongs to the centroid with the largest dot product (the smallest angle).
///
/// Trained on a seeded random sample for a few iterations, so the same rows and seed always give
/// the same centroids (tests, and reproducible benchmarks); the assignment of all rows is one
/// pass over them afterwards.
struct SphericalKMeans {
    var centroidCount: Int
    var sampleSize: Int
    var iterations: Int
    var seed: UInt64

    /// Unit centroids of `rows` (`n * dimension` floats, unit rows), at most one per row.
    func train(_ sources: [VectorStorage], dimension d: Int, kernels: ScanKernels) -> RowMatrix<Float> {
        let n = sources.reduce(0) { $0 + $1.count }
        precondition(n > 0, "k-means needs at least one row")
        let k = max(1, min(centroidCount, n))
        var generator = SplitMix64(seed: seed)
        let sample = Self.sample(min(max(sampleSize, k), n), of: n, using: &generator)
        // The sample rows, contiguous, in sample order (the first k seed the centroids).
        var points = [Float](repeating: 0, count: sample.count * d)
        let offsets = sources.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        points.withUnsafeMutableBufferPointer { points in
            for (slot, index) in sample.enumerated() {
                let source = offsets.lastIndex { $0 <= index }!
                sources[source].withExactRows { rows in
                    let row = index - offsets[source]
                    _ = UnsafeMutableBufferPointer(rebasing: points[slot * d..<(slot + 1) * d])
                        .update(fromContentsOf: UnsafeBufferPointer(rebasing: rows[row * d..<(row + 1) * d]))
                }
            }
        }
        var centroids = Array(points[0..<k * d])
        var sums = [Double](repeating: 0, count: k * d)
        var members = [Int](repeating: 0, count: k)
        for _ in 0..<iterations {
            for j in sums.indices { sums[j] = 0 }
            for j in members.indices { members[j] = 0 }
            points.withUnsafeBufferPointer { points in
                centroids.withUnsafeBufferPointer { centroids in
                    for slot in 0..<sample.count {
                        let point = UnsafeBufferPointer(rebasing: points[slot * d..<(slot + 1) * d])
                        let nearest = Self.nearest(point, centroids: centroids, kernels: kernels).index
                        members[nearest] += 1
                        for j in 0..<d { sums[nearest * d + j] += Double(point[j]) }
                    }
                }
            }
            for c in 0..<k {
                if members[c] == 0 {
                    // An empty cluster restarts at a random sample point rather than staying dead.
                    let slot = Int(generator.next() % UInt64(sample.count))
                    for j in 0..<d { centroids[c * d + j] = points[slot * d + j] }
                    continue
                }
                var norm = 0.0
                for j in 0..<d { norm += sums[c * d + j] * sums[c * d + j] }
                guard norm > 0 else { continue }  // opposite members cancelled out: keep the old centroid
                let inverse = 1 / norm.squareRoot()
                for j in 0..<d { centroids[c * d + j] = Float(sums[c * d + j] * inverse) }
            }
        }
        var matrix = RowMatrix<Float>(dimension: d)
        matrix.reserveCapacity(rows: k)
        centroids.withUnsafeBufferPointer { all in
            for c in 0..<k { matrix.append(UnsafeBufferPointer(rebasing: all[c * d..<(c + 1) * d])) }
        }
        return matrix
    }

    /// The centroid with the largest dot product with `vector` (ties: the lower index).
    static func nearest(
        _ vector: UnsafeBufferPointer<Float>, centroids: UnsafeBufferPointer<Float>, kernels: ScanKernels
    ) -> (index: Int, score: Float) {
        let best = kernels.topK(1, query: vector, rows: centroids)
        // NaN-free unit rows always produce a best row; fall back to list 0 defensively.
        return best.first.map { ($0.row, $0.score) } ?? (0, -1)
    }

    /// `count` distinct indices below `n`, in random order (partial Fisher–Yates).
    static func sample(_ count: Int, of n: Int, using generator: inout SplitMix64) -> [Int] {
        var indices = Array(0..<n)
        for i in 0..<count {
            let j = i + Int(generator.next() % UInt64(n - i))
            indices.swapAt(i, j)
        }
        return Array(indices[0..<count])
    }
}
