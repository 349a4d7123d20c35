import CVectorKernels
import HeimdallVector
import Testing

/// Top-k selection: the fused scans against full scoring plus a sort.
@Suite("Top-k selection")
struct TopKTests {
    /// Reference order: score descending, then row ascending.
    static func referenceTopK(_ scores: [Float], _ k: Int) -> [ScoredRow] {
        Array(
            scores.enumerated().map { ScoredRow(row: $0.offset, score: $0.element) }
                .sorted { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
                .prefix(k))
    }

    @Test("block selection keeps the k best, ties to the lower row, and skips NaN")
    func selection() {
        var rng = SplitMix64(seed: 42)
        for n in [0, 1, 5, 1000] {
            // Few distinct values, so ties are common.
            var scores = (0..<n).map { _ in Float(Int.random(in: -20...20, using: &rng)) / 10 }
            if n > 3 { scores[2] = .nan }
            for k in [1, 3, 8, 64] {
                let capacity = max(1, k)
                var rows = [Int](repeating: -1, count: capacity)
                var best = [Float](repeating: 0, count: capacity)
                let found = rows.withUnsafeMutableBufferPointer { r in
                    best.withUnsafeMutableBufferPointer { s in
                        var selection = hv_topk()
                        hv_topk_init(&selection, k, r.baseAddress, s.baseAddress)
                        scores.withUnsafeBufferPointer { all in
                            // Uneven blocks, to exercise the fill/threshold switch at odd places.
                            var start = 0
                            while start < n {
                                let count = min(37, n - start)
                                hv_topk_push_block(&selection, all.baseAddress! + start, count, start)
                                start += count
                            }
                        }
                        return selection.count
                    }
                }
                let expected = Self.referenceTopK(scores.map { $0.isNaN ? -.infinity : $0 }, k)
                    .filter { !scores[$0.row].isNaN }
                let got = (0..<found).map { ScoredRow(row: rows[$0], score: best[$0]) }
                #expect(got == Array(expected.prefix(found)), "n=\(n) k=\(k)")
                #expect(found == min(k, scores.filter { !$0.isNaN }.count))
            }
        }
    }

    @Test("fused top-k scans equal scoring every row and sorting", arguments: KernelScoreTests.backends)
    func fusedScans(backend: String) {
        let kernels = KernelScoreTests.kernels(backend)
        for f in KernelFixture.all where f.d != 1536 {
            for k in [0, 1, 3, 8] {
                var all = [Float](repeating: 0, count: f.n)
                f.query.withUnsafeBufferPointer { q in
                    f.rows.withUnsafeBufferPointer { r in
                        all.withUnsafeMutableBufferPointer { kernels.scores(query: q, rows: r, into: $0) }
                        #expect(kernels.topK(k, query: q, rows: r) == Self.referenceTopK(all, k), "f32 n=\(f.n) d=\(f.d) k=\(k)")
                    }
                    f.halfRows.withUnsafeBufferPointer { r in
                        all.withUnsafeMutableBufferPointer { kernels.scores(query: q, halfRows: r, into: $0) }
                        #expect(kernels.topK(k, query: q, halfRows: r) == Self.referenceTopK(all, k), "f16 n=\(f.n) d=\(f.d) k=\(k)")
                    }
                }
                f.queryCodes.codes.withUnsafeBufferPointer { q in
                    f.rowCodes.withUnsafeBufferPointer { r in
                        f.rowScales.withUnsafeBufferPointer { s in
                            let scale = f.queryCodes.scale
                            all.withUnsafeMutableBufferPointer {
                                kernels.scores(queryCodes: q, queryScale: scale, codeRows: r, rowScales: s, into: $0)
                            }
                            let top = kernels.topK(k, queryCodes: q, queryScale: scale, codeRows: r, rowScales: s)
                            #expect(top == Self.referenceTopK(all, k), "int8 n=\(f.n) d=\(f.d) k=\(k)")
                        }
                    }
                }
            }
        }
    }

    @Test("identical rows come back in row order")
    func ties() {
        let row: [Float] = [0.6, 0.8, 0]
        let rows = Array([[Float]](repeating: row, count: 10).joined())
        for kernels in ScanKernels.available {
            let top = row.withUnsafeBufferPointer { q in rows.withUnsafeBufferPointer { kernels.topK(4, query: q, rows: $0) } }
            #expect(top.map(\.row) == [0, 1, 2, 3], "\(kernels)")
        }
    }
}
