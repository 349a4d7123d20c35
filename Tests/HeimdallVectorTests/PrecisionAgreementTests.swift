import HeimdallVector
import Testing

/// Compact scans must find the same nearest neighbour as float32 for realistic (cos ≈ 0.9) queries.
@Suite("Scan precision agreement")
struct PrecisionAgreementTests {
    @Test("f16 and int8 top-1 agree with f32 on noisy-copy queries", arguments: [ScanPrecision.f16, .int8])
    func topOneAgreement(precision: ScanPrecision) {
        let (n, d, queries) = (2000, 384, 60)
        let flat = TestData.matrix(rows: n, dimension: d, seed: 2024)
        var exact = VectorStorage(dimension: d, scanPrecision: .f32)
        for i in 0..<n { exact.upsert(id: "row-\(i)", vector: Array(TestData.row(flat, i, d))) }
        let compact = exact.converted(to: precision)
        #expect(compact.count == n)
        #expect(compact.scanBytes < exact.scanBytes)

        var rng = SplitMix64(seed: 77)
        var agreeingScans = 0
        for _ in 0..<queries {
            let planted = Int.random(in: 0..<n, using: &rng)
            let query = TestData.noisyCopy(of: Array(TestData.row(flat, planted, d)), using: &rng)
            let truth = exact.search(query: query, k: 1)
            #expect(truth.first?.id == "row-\(planted)")
            // Scan alone (no re-scoring) should already agree; the re-scored search must.
            if compact.scan(query: query, k: 1).first.map({ compact.id(atRow: $0.row) }) == truth.first?.id {
                agreeingScans += 1
            }
            let found = compact.search(query: query, k: 1)
            #expect(found == truth, "re-scored similarity must be the exact f32 value")
        }
        #expect(agreeingScans >= queries * 98 / 100)
    }
}
