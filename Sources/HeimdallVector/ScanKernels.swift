import CVectorKernels

/// The similarity kernels of one backend, over contiguous row-major matrices.
///
/// Every function takes the query first; its length is the dimension `d`, and a matrix of `n` rows
/// holds `n * d` elements. Scores are dot products (cosine for unit vectors).
public struct ScanKernels: Sendable, Hashable, CustomStringConvertible {
    /// The implementation these kernels run.
    public let backend: KernelBackend

    /// The fastest kernels for this CPU (see ``KernelBackend/best``).
    public static var best: ScanKernels { ScanKernels(trusted: .best) }

    /// Kernels for a specific backend, or `nil` when this CPU cannot run it. Tests use this to
    /// force each path.
    public init?(backend: KernelBackend) {
        guard backend.isSupported else { return nil }
        self.backend = backend
    }

    private init(trusted backend: KernelBackend) {
        self.backend = backend
    }

    /// Every backend this CPU supports.
    public static var available: [ScanKernels] { KernelBackend.available.map(ScanKernels.init(trusted:)) }

    public var description: String { backend.description }

    /// Rows scored per block in the portable path: its scores stay in L1 between scan and selection.
    private static let blockRows = 256

    // MARK: - Exact dot product

    /// float32 dot product of two equally long vectors.
    public func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        precondition(a.count == b.count, "dot product of vectors of different lengths")
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        switch backend {
        case .native(let isa): return hv_dot_f32(isa.cValue, pa, pb, a.count)
        case .portableSIMD: return SIMDReference.dot(pa, pb, count: a.count)
        }
    }

    // MARK: - Scores for every row

    /// `scores[i] = dot(query, row i)` for float32 rows; `scores.count` is the row count.
    public func scores(
        query: UnsafeBufferPointer<Float>, rows: UnsafeBufferPointer<Float>, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let d = Self.dimension(query.count, elements: rows.count, rows: scores.count)
        guard let q = query.baseAddress, let r = rows.baseAddress, let out = scores.baseAddress else { return }
        switch backend {
        case .native(let isa): hv_scores_f32(isa.cValue, q, r, scores.count, d, out)
        case .portableSIMD:
            for i in 0..<scores.count { out[i] = SIMDReference.dot(q, r + i * d, count: d) }
        }
    }

    /// `scores[i] = dot(query, row i)` for half-precision rows (IEEE binary16 bit patterns).
    public func scores(
        query: UnsafeBufferPointer<Float>, halfRows rows: UnsafeBufferPointer<UInt16>,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let d = Self.dimension(query.count, elements: rows.count, rows: scores.count)
        guard let q = query.baseAddress, let r = rows.baseAddress, let out = scores.baseAddress else { return }
        switch backend {
        case .native(let isa): hv_scores_f16(isa.cValue, q, r, scores.count, d, out)
        case .portableSIMD:
            for i in 0..<scores.count { out[i] = SIMDReference.dot(q, halfBits: r + i * d, count: d) }
        }
    }

    /// `scores[i] ≈ dot(query, row i)` for int8 rows: `queryScale * rowScales[i] * Σ codes·rowCodes`.
    /// Codes must lie in [-127, 127], as ``Quantization/int8(_:into:isa:)`` produces them.
    public func scores(
        queryCodes: UnsafeBufferPointer<Int8>, queryScale: Float, codeRows rows: UnsafeBufferPointer<Int8>,
        rowScales: UnsafeBufferPointer<Float>, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let d = Self.dimension(queryCodes.count, elements: rows.count, rows: scores.count)
        precondition(rowScales.count == scores.count, "one scale per row")
        guard let q = queryCodes.baseAddress, let r = rows.baseAddress, let s = rowScales.baseAddress,
            let out = scores.baseAddress
        else { return }
        switch backend {
        case .native(let isa): hv_scores_i8(isa.cValue, q, queryScale, r, s, scores.count, d, out)
        case .portableSIMD:
            for i in 0..<scores.count {
                out[i] = Float(SIMDReference.dot(q, r + i * d, count: d)) * s[i] * queryScale
            }
        }
    }

    // MARK: - Top-k scans

    /// The `k` best float32 rows, best first (ties: lower row first).
    public func topK(_ k: Int, query: UnsafeBufferPointer<Float>, rows: UnsafeBufferPointer<Float>) -> [ScoredRow] {
        let n = Self.rowCount(query.count, elements: rows.count)
        return Self.select(k, n: n) { capacity, outRows, outScores in
            guard let q = query.baseAddress, let r = rows.baseAddress else { return 0 }
            switch backend {
            case .native(let isa):
                return hv_topk_f32(isa.cValue, q, r, n, query.count, capacity, outRows, outScores)
            case .portableSIMD:
                return Self.portableTopK(capacity, n: n, rows: outRows, scores: outScores) { start, block in
                    scores(
                        query: query, rows: UnsafeBufferPointer(rebasing: rows[start * query.count..<(start + block.count) * query.count]),
                        into: block)
                }
            }
        }
    }

    /// The `k` best half-precision rows by approximate score, best first.
    public func topK(_ k: Int, query: UnsafeBufferPointer<Float>, halfRows rows: UnsafeBufferPointer<UInt16>) -> [ScoredRow] {
        let n = Self.rowCount(query.count, elements: rows.count)
        return Self.select(k, n: n) { capacity, outRows, outScores in
            guard let q = query.baseAddress, let r = rows.baseAddress else { return 0 }
            switch backend {
            case .native(let isa):
                return hv_topk_f16(isa.cValue, q, r, n, query.count, capacity, outRows, outScores)
            case .portableSIMD:
                return Self.portableTopK(capacity, n: n, rows: outRows, scores: outScores) { start, block in
                    scores(
                        query: query,
                        halfRows: UnsafeBufferPointer(rebasing: rows[start * query.count..<(start + block.count) * query.count]),
                        into: block)
                }
            }
        }
    }

    /// The `k` best int8 rows by approximate score, best first.
    public func topK(
        _ k: Int, queryCodes: UnsafeBufferPointer<Int8>, queryScale: Float, codeRows rows: UnsafeBufferPointer<Int8>,
        rowScales: UnsafeBufferPointer<Float>
    ) -> [ScoredRow] {
        let d = queryCodes.count
        let n = Self.rowCount(d, elements: rows.count)
        precondition(rowScales.count == n, "one scale per row")
        return Self.select(k, n: n) { capacity, outRows, outScores in
            guard let q = queryCodes.baseAddress, let r = rows.baseAddress, let s = rowScales.baseAddress else { return 0 }
            switch backend {
            case .native(let isa):
                return hv_topk_i8(isa.cValue, q, queryScale, r, s, n, d, capacity, outRows, outScores)
            case .portableSIMD:
                return Self.portableTopK(capacity, n: n, rows: outRows, scores: outScores) { start, block in
                    scores(
                        queryCodes: queryCodes, queryScale: queryScale,
                        codeRows: UnsafeBufferPointer(rebasing: rows[start * d..<(start + block.count) * d]),
                        rowScales: UnsafeBufferPointer(rebasing: rowScales[start..<start + block.count]), into: block)
                }
            }
        }
    }

    // MARK: - Helpers

    private static func dimension(_ d: Int, elements: Int, rows: Int) -> Int {
        precondition(d > 0, "dimension must be positive")
        precondition(elements == rows * d, "matrix holds \(elements) elements, expected \(rows) rows of \(d)")
        return d
    }

    private static func rowCount(_ d: Int, elements: Int) -> Int {
        precondition(d > 0, "dimension must be positive")
        precondition(elements % d == 0, "matrix of \(elements) elements is not a whole number of rows of \(d)")
        return elements / d
    }

    /// Runs a selection into temporary (row, score) buffers of capacity k and packages the result.
    private static func select(
        _ k: Int, n: Int,
        _ body: (_ capacity: Int, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Float>) -> Int
    ) -> [ScoredRow] {
        precondition(k >= 0, "k must not be negative")
        let capacity = min(k, n)
        guard capacity > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: capacity) { scores in
                let found = body(capacity, rows.baseAddress!, scores.baseAddress!)
                return (0..<found).map { ScoredRow(row: rows[$0], score: scores[$0]) }
            }
        }
    }

    /// Block-wise scan for the Swift path, merged by the same C selection the native paths use.
    private static func portableTopK(
        _ k: Int, n: Int, rows: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Float>,
        scoreBlock: (_ start: Int, _ block: UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Int {
        var selection = hv_topk()
        hv_topk_init(&selection, k, rows, scores)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blockRows) { buffer in
            var start = 0
            while start < n {
                let count = min(blockRows, n - start)
                let block = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                scoreBlock(start, block)
                hv_topk_push_block(&selection, block.baseAddress, count, start)
                start += count
            }
        }
        return selection.count
    }
}
