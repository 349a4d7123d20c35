#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One large partition's vectors grouped by their nearest centroid (an inverted file, like faiss's
/// `IndexIVFFlat`): each list is a ``VectorStorage`` whose scan copy is contiguous, so a probed list
/// is a streaming scan with the same kernels as a flat partition.
///
/// Each list also keeps its radius, the largest angle between a member and the centroid. By the
/// triangle inequality on the sphere, angle(q, x) ≥ angle(q, c) − radius for every member x, so a
/// list with angle(q, c) − radius > arccos(threshold) cannot hold a match and is skipped: probing
/// every other list finds every entry at or above the threshold, exactly as a flat scan would.
struct InvertedFile: Sendable {
    let dimension: Int
    let scanPrecision: ScanPrecision
    /// Vectors the centroids were trained on; a retraining is due once the file has grown enough.
    let trainedCount: Int
    private let centroids: RowMatrix<Float>
    private var lists: [VectorStorage]
    /// Per list, radians. Only ever grows between trainings: after a removal it is still an upper bound.
    private var radii: [Float]
    private var listOfID: [String: Int] = [:]

    /// Angle added to every radius: float32 rounding of unit dot products near 1 is amplified by
    /// arccos (1e-7 in the dot is ~5e-4 rad), and the bound must never exclude a true match.
    static let radiusMargin: Float = 2e-3

    /// Trains centroids on `sources` and files every row into the list of its nearest centroid.
    init(training sources: [VectorStorage], dimension: Int, scanPrecision: ScanPrecision, kmeans: SphericalKMeans, kernels: ScanKernels) {
        self.dimension = dimension
        self.scanPrecision = scanPrecision
        let count = sources.reduce(0) { $0 + $1.count }
        trainedCount = count
        centroids = kmeans.train(sources, dimension: dimension, kernels: kernels)
        lists = Array(repeating: VectorStorage(dimension: dimension, scanPrecision: scanPrecision), count: centroids.rowCount)
        radii = Array(repeating: 0, count: centroids.rowCount)
        listOfID.reserveCapacity(count)
        for source in sources {
            source.withExactRows { rows in
                for row in 0..<source.count {
                    upsert(
                        id: source.id(atRow: row), row: UnsafeBufferPointer(rebasing: rows[row * dimension..<(row + 1) * dimension]),
                        kernels: kernels)
                }
            }
        }
    }

    /// Number of stored vectors.
    var count: Int { listOfID.count }

    var listCount: Int { lists.count }

    /// Bytes of the lists' matrices plus the centroids.
    var bytes: Int { lists.reduce(centroids.bytes) { $0 + $1.bytes } }

    /// Every stored id.
    var ids: some Sequence<String> { listOfID.keys }

    // MARK: - Writing

    /// Files `row` under `id` in its nearest centroid's list, moving it if it was in another one.
    mutating func upsert(id: String, row: UnsafeBufferPointer<Float>, kernels: ScanKernels) {
        let nearest = centroids.withRows { SphericalKMeans.nearest(row, centroids: $0, kernels: kernels) }
        if let previous = listOfID[id], previous != nearest.index {
            lists[previous].remove(id: id)
        }
        lists[nearest.index].upsert(id: id, row: row)
        radii[nearest.index] = max(radii[nearest.index], acos(min(1, max(-1, nearest.score))))
        listOfID[id] = nearest.index
    }

    @discardableResult
    mutating func remove(id: String) -> Bool {
        guard let list = listOfID.removeValue(forKey: id) else { return false }
        lists[list].remove(id: id)
        return true
    }

    // MARK: - Searching

    /// The `k` most similar entries among the lists that may hold one at `minimumSimilarity` or
    /// above, with exact similarities, best first; plus how many vectors were compared.
    ///
    /// - Parameter maximumLists: probe at most this many of those lists, nearest centroid first
    ///   (0 = all of them, which makes the result exact up to the scan precision).
    func search(
        query: ScanQuery, k: Int, minimumSimilarity: Float, maximumLists: Int, rescoreCandidates: Int, kernels: ScanKernels
    ) -> (matches: [SemanticMatch], scanned: Int) {
        let probed = probes(for: query.vector, minimumSimilarity: minimumSimilarity, maximumLists: maximumLists, kernels: kernels)
        let keep = scanPrecision == .f32 ? k : max(k, rescoreCandidates)
        // The `keep` best (list, row) pairs by scan score, best first; ties keep the earlier pair.
        var best: [Candidate] = []
        best.reserveCapacity(keep + 1)
        var scanned = 0
        for list in probed where !lists[list].isEmpty {
            scanned += lists[list].count
            for found in lists[list].scan(query, k: keep, kernels: kernels) {
                let candidate = Candidate(list: list, row: found.row, score: found.score)
                guard best.count < keep || candidate.isBetter(than: best[best.count - 1]) else { break }  // found is sorted
                let slot = best.firstIndex { candidate.isBetter(than: $0) } ?? best.count
                best.insert(candidate, at: slot)
                if best.count > keep { best.removeLast() }
            }
        }
        if scanPrecision != .f32 {
            best = best.map {
                Candidate(
                    list: $0.list, row: $0.row, score: lists[$0.list].exactSimilarity(query: query.vector, row: $0.row, kernels: kernels))
            }
            .sorted { $0.isBetter(than: $1) }
        }
        let matches = best.prefix(k).map { SemanticMatch(id: lists[$0.list].id(atRow: $0.row), similarity: $0.score) }
        return (matches, scanned)
    }

    /// Lists whose radius bound does not exclude a match at `minimumSimilarity`, nearest centroid
    /// first, at most `maximumLists` (0 = no limit); the nearest list is always among them, so a
    /// miss still reports a best similarity.
    func probes(for query: [Float], minimumSimilarity: Float, maximumLists: Int, kernels: ScanKernels) -> [Int] {
        let n = centroids.rowCount
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { scores in
            query.withUnsafeBufferPointer { q in
                centroids.withRows { kernels.scores(query: q, rows: $0, into: scores) }
            }
            let allowed = acos(min(1, max(-1, minimumSimilarity)))
            var nearest = 0
            var probes: [(list: Int, score: Float)] = []
            for list in 0..<n {
                let score = scores[list]
                if score > scores[nearest] { nearest = list }
                let reach = allowed + radii[list] + Self.radiusMargin
                if reach >= .pi || score >= cos(reach) { probes.append((list, score)) }
            }
            if !probes.contains(where: { $0.list == nearest }) { probes.append((nearest, scores[nearest])) }
            probes.sort { $0.score > $1.score || ($0.score == $1.score && $0.list < $1.list) }
            if maximumLists > 0 && probes.count > maximumLists { probes.removeLast(probes.count - maximumLists) }
            return probes.map(\.list)
        }
    }

    private struct Candidate {
        var list: Int
        var row: Int
        var score: Float

        func isBetter(than other: Candidate) -> Bool {
            score > other.score || (score == other.score && (list, row) < (other.list, other.row))
        }
    }
}

extension InvertedFile {
    /// The lists, for retraining from them (copy-on-write: shares their buffers).
    var listsSnapshot: [VectorStorage] { lists }
}
