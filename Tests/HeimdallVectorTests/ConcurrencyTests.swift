import Foundation
import HeimdallVector
import Testing

@Suite("Concurrent use")
struct ConcurrencyTests {
    @Test("concurrent inserts, removals and searches stay consistent", .timeLimit(.minutes(1)))
    func smoke() async throws {
        let index = PartitionedIndex(scanPrecision: .int8)
        let partitions = (0..<4).map { PartitionKey([UInt8(truncatingIfNeeded: $0)]) }
        let d = 64
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    var rng = SplitMix64(seed: UInt64(writer))
                    for i in 0..<400 {
                        let v = TestData.unitVector(d, using: &rng)
                        try index.insert(id: "w\(writer)-\(i)", partition: partitions[i % 4], vector: v)
                        if i % 5 == 4 { index.remove(id: "w\(writer)-\(i - 2)") }
                    }
                    return 0
                }
            }
            for reader in 0..<4 {
                group.addTask {
                    var rng = SplitMix64(seed: 100 + UInt64(reader))
                    var hits = 0
                    for i in 0..<400 {
                        let q = TestData.unitVector(d, using: &rng)
                        let result = try index.search(partition: partitions[i % 4], query: q, minimumSimilarity: -1, k: 4)
                        // Every result must be sorted and consistent with the best similarity.
                        #expect(result.matches.map(\.similarity) == result.matches.map(\.similarity).sorted(by: >))
                        #expect(result.matches.first?.similarity == result.bestSimilarity)
                        hits += result.matches.count
                    }
                    return hits
                }
            }
            for try await _ in group {}
        }
        #expect(index.count == 2 * (400 - 80))
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
