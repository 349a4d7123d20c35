/// The vectors of one partition: float32 rows (always kept, for exact re-scoring) plus an optional
/// compact scan copy (half precision, or int8 codes with one scale per row), and the entry ids.
///
/// Rows are contiguous per element type; removal swaps the last row into the hole and updates the
/// id → row map, so rows never shift and removal costs O(d). Vectors are expected to be unit length
/// (``PartitionedIndex`` normalises them), so a dot product is the cosine similarity.
public struct VectorStorage: Sendable {
    /// Length of every stored vector.
    public let dimension: Int
    /// Element type the scan reads.
    public let scanPrecision: ScanPrecision

    private var exact: RowMatrix<Float>
    private var halfRows: RowMatrix<UInt16>
    private var codeRows: RowMatrix<Int8>
    private var codeScales: ContiguousArray<Float> = []
    private var ids: ContiguousArray<String> = []
    private var rowOfID: [String: Int] = [:]

    /// An empty storage for vectors of `dimension` (> 0) elements.
    public init(dimension: Int, scanPrecision: ScanPrecision) {
        self.dimension = dimension
        self.scanPrecision = scanPrecision
        exact = RowMatrix(dimension: dimension)
        halfRows = RowMatrix(dimension: dimension)
        codeRows = RowMatrix(dimension: dimension)
    }

    /// Number of stored vectors.
    public var count: Int { ids.count }

    /// Whether no vector is stored.
    public var isEmpty: Bool { ids.isEmpty }

    /// Bytes of the stored matrices: float32 rows plus the scan copy and its scales (ids excluded).
    public var bytes: Int { exact.bytes + halfRows.bytes + codeRows.bytes + codeScales.count * MemoryLayout<Float>.stride }

    /// Bytes one full scan reads (the scan copy, or the float32 rows for an `f32` scan).
    public var scanBytes: Int {
        switch scanPrecision {
        case .f32: exact.bytes
        case .f16: halfRows.bytes
        case .int8: codeRows.bytes + codeScales.count * MemoryLayout<Float>.stride
        }
    }

    /// Whether an entry with this id is stored.
    public func contains(id: String) -> Bool { rowOfID[id] != nil }

    /// The entry id stored at `row`.
    public func id(atRow row: Int) -> String { ids[row] }

    /// The stored float32 vector of an entry.
    public func vector(id: String) -> [Float]? {
        guard let row = rowOfID[id] else { return nil }
        return exact.withRow(row) { Array($0) }
    }

    /// Pre-allocates room for `rows` vectors (avoids repeated growth copies of large matrices).
    public mutating func reserveCapacity(_ rows: Int) {
        exact.reserveCapacity(rows: rows)
        switch scanPrecision {
        case .f32: break
        case .f16: halfRows.reserveCapacity(rows: rows)
        case .int8:
            codeRows.reserveCapacity(rows: rows)
            codeScales.reserveCapacity(rows)
        }
        ids.reserveCapacity(rows)
        rowOfID.reserveCapacity(rows)
    }

    /// Stores `vector` under `id`, replacing the vector an existing entry with that id had.
    public mutating func upsert(id: String, vector: [Float]) {
        vector.withUnsafeBufferPointer { upsert(id: id, row: $0) }
    }

    /// Stores `row` under `id`, replacing the vector an existing entry with that id had.
    mutating func upsert(id: String, row source: UnsafeBufferPointer<Float>) {
        precondition(source.count == dimension, "vector length \(source.count) != dimension \(dimension)")
        if let row = rowOfID[id] {
            exact.replace(row: row, with: source)
            replaceScanRow(row, from: source)
        } else {
            exact.append(source)
            appendScanRow(from: source)
            rowOfID[id] = ids.count
            ids.append(id)
        }
    }

    /// The float32 rows, `count * dimension` elements row-major.
    func withExactRows<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try exact.withRows(body)
    }

    /// Removes an entry; returns whether it existed.
    @discardableResult
    public mutating func remove(id: String) -> Bool {
        guard let row = rowOfID.removeValue(forKey: id) else { return false }
        let last = ids.count - 1
        exact.swapRemove(row: row)
        switch scanPrecision {
        case .f32: break
        case .f16: halfRows.swapRemove(row: row)
        case .int8:
            codeRows.swapRemove(row: row)
            codeScales[row] = codeScales[last]
            codeScales.removeLast()
        }
        if row != last {
            let moved = ids[last]
            ids[row] = moved
            rowOfID[moved] = row
        }
        ids.removeLast()
        return true
    }

    /// A copy with a different scan precision. The float32 rows are shared (copy-on-write), so
    /// only the new scan copy is allocated.
    public func converted(to precision: ScanPrecision) -> VectorStorage {
        var copy = VectorStorage(dimension: dimension, scanPrecision: precision)
        copy.exact = exact
        copy.ids = ids
        copy.rowOfID = rowOfID
        copy.halfRows.reserveCapacity(rows: precision == .f16 ? count : 0)
        copy.codeRows.reserveCapacity(rows: precision == .int8 ? count : 0)
        exact.withRows { all in
            for row in 0..<count {
                copy.appendScanRow(from: UnsafeBufferPointer(rebasing: all[row * dimension..<(row + 1) * dimension]))
            }
        }
        return copy
    }

    // MARK: - Scanning

    /// The `k` best rows by the scan-precision score (approximate for `f16`/`int8`), best first.
    public func scan(query: [Float], k: Int, kernels: ScanKernels = .best) -> [ScoredRow] {
        scan(ScanQuery(query, precision: scanPrecision), k: k, kernels: kernels)
    }

    /// The `k` best rows for a query prepared once for many scans (an inverted file's lists).
    func scan(_ query: ScanQuery, k: Int, kernels: ScanKernels) -> [ScoredRow] {
        precondition(query.vector.count == dimension, "query length \(query.vector.count) != dimension \(dimension)")
        return query.vector.withUnsafeBufferPointer { q in
            switch scanPrecision {
            case .f32:
                return exact.withRows { kernels.topK(k, query: q, rows: $0) }
            case .f16:
                return halfRows.withRows { kernels.topK(k, query: q, halfRows: $0) }
            case .int8:
                let quantized = query.codes ?? Quantization.int8(query.vector)
                return quantized.codes.withUnsafeBufferPointer { codes in
                    codeRows.withRows { rows in
                        codeScales.withUnsafeBufferPointer { scales in
                            kernels.topK(k, queryCodes: codes, queryScale: quantized.scale, codeRows: rows, rowScales: scales)
                        }
                    }
                }
            }
        }
    }

    /// Exact float32 similarity of the query with one stored row.
    public func exactSimilarity(query: [Float], row: Int, kernels: ScanKernels = .best) -> Float {
        query.withUnsafeBufferPointer { q in exact.withRow(row) { kernels.dot(q, $0) } }
    }

    /// The `k` most similar entries with exact similarities, best first.
    ///
    /// A compact scan keeps `max(k, rescoreCandidates)` candidates and re-scores them in float32,
    /// so quantisation can only affect which entries are considered, never the reported values.
    public func search(query: [Float], k: Int, rescoreCandidates: Int = 8, kernels: ScanKernels = .best) -> [SemanticMatch] {
        guard k > 0, !isEmpty else { return [] }
        if scanPrecision == .f32 {
            return scan(query: query, k: k, kernels: kernels).map { SemanticMatch(id: ids[$0.row], similarity: $0.score) }
        }
        let candidates = scan(query: query, k: max(k, rescoreCandidates), kernels: kernels)
        let rescored = candidates.map { ScoredRow(row: $0.row, score: exactSimilarity(query: query, row: $0.row, kernels: kernels)) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
        return rescored.prefix(k).map { SemanticMatch(id: ids[$0.row], similarity: $0.score) }
    }

    // MARK: - Scan copy maintenance

    private mutating func appendScanRow(from source: UnsafeBufferPointer<Float>) {
        switch scanPrecision {
        case .f32: break
        case .f16:
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: dimension) { half in
                Quantization.halfBits(source, into: half)
                halfRows.append(UnsafeBufferPointer(half))
            }
        case .int8:
            withUnsafeTemporaryAllocation(of: Int8.self, capacity: dimension) { codes in
                codeScales.append(Quantization.int8(source, into: codes))
                codeRows.append(UnsafeBufferPointer(codes))
            }
        }
    }

    private mutating func replaceScanRow(_ row: Int, from source: UnsafeBufferPointer<Float>) {
        switch scanPrecision {
        case .f32: break
        case .f16:
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: dimension) { half in
                Quantization.halfBits(source, into: half)
                halfRows.replace(row: row, with: UnsafeBufferPointer(half))
            }
        case .int8:
            withUnsafeTemporaryAllocation(of: Int8.self, capacity: dimension) { codes in
                codeScales[row] = Quantization.int8(source, into: codes)
                codeRows.replace(row: row, with: UnsafeBufferPointer(codes))
            }
        }
    }
}
