import Foundation
import HeimdallVector
import Testing

@Suite("Partitioned index")
struct PartitionedIndexTests {
    static let tenantA = PartitionKey([UInt8](repeating: 0xAA, count: 32))
    static let tenantB = PartitionKey([UInt8](repeating: 0xBB, count: 32))

    static func unit(_ values: Float...) -> [Float] {
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }

    @Test("finds the nearest entry with its exact cosine, for every scan precision", arguments: ScanPrecision.allCases)
    func nearest(precision: ScanPrecision) throws {
        let index = PartitionedIndex(scanPrecision: precision)
        try index.insert(id: "x", partition: Self.tenantA, vector: [1, 0, 0])
        try index.insert(id: "xy", partition: Self.tenantA, vector: [1, 1, 0])  // normalised on insert
        try index.insert(id: "z", partition: Self.tenantA, vector: [0, 0, 2])
        let result = try index.search(partition: Self.tenantA, query: [2, 0.2, 0], minimumSimilarity: 0.5, k: 3)
        #expect(result.matches.map(\.id) == ["x", "xy"])
        let q = Self.unit(2, 0.2, 0)
        #expect(abs(result.matches[0].similarity - q[0]) < 1e-6)
        #expect(abs(result.matches[1].similarity - (q[0] + q[1]) / Float(2).squareRoot()) < 1e-6)
        #expect(result.bestSimilarity == result.matches[0].similarity)
        #expect(index.count == 3)
        #expect(index.bytes > 0)
    }

    @Test("a miss still reports the best similarity seen")
    func missReportsBest() throws {
        let index = PartitionedIndex()
        try index.insert(id: "a", partition: Self.tenantA, vector: [1, 0])
        let result = try index.search(partition: Self.tenantA, query: [1, 1], minimumSimilarity: 0.95)
        #expect(result.matches.isEmpty)
        #expect(abs(result.bestSimilarity! - Float(0.5).squareRoot()) < 1e-6)
        #expect(try index.search(partition: Self.tenantB, query: [1, 1], minimumSimilarity: 0) == .empty)
        let noK = try index.search(partition: Self.tenantA, query: [1, 0], minimumSimilarity: 0, k: 0)
        #expect(noK.matches.isEmpty && noK.bestSimilarity != nil)
    }

    @Test("partitions never see each other's entries")
    func isolation() throws {
        let index = PartitionedIndex(scanPrecision: .int8)
        try index.insert(id: "a1", partition: Self.tenantA, vector: [1, 0, 0, 0])
        try index.insert(id: "b1", partition: Self.tenantB, vector: [1, 0, 0, 0])
        try index.insert(id: "b2", partition: Self.tenantB, vector: [0, 1, 0, 0])
        let a = try index.search(partition: Self.tenantA, query: [0, 1, 0, 0], minimumSimilarity: -1, k: 8)
        #expect(a.matches.map(\.id) == ["a1"])
        let b = try index.search(partition: Self.tenantB, query: [0, 1, 0, 0], minimumSimilarity: -1, k: 8)
        #expect(b.matches.map(\.id) == ["b2", "b1"])
        #expect(index.partitionCount == 2)
        #expect(index.count(partition: Self.tenantB) == 2)
    }

    @Test("remove swaps rows without losing track of the moved entry", arguments: ScanPrecision.allCases)
    func remove(precision: ScanPrecision) throws {
        let index = PartitionedIndex(scanPrecision: precision)
        var rng = SplitMix64(seed: 5)
        var vectors: [String: [Float]] = [:]
        for i in 0..<50 {
            let v = TestData.unitVector(24, using: &rng)
            vectors["e\(i)"] = v
            try index.insert(id: "e\(i)", partition: Self.tenantA, vector: v)
        }
        #expect(index.remove(id: "e0"))  // the last row moves into row 0
        #expect(index.remove(id: "e17"))
        #expect(!index.remove(id: "e17"))
        #expect(!index.remove(id: "never"))
        #expect(index.count == 48)
        for (id, v) in vectors {
            let top = try index.search(partition: Self.tenantA, query: v, minimumSimilarity: 0.999, k: 1)
            if id == "e0" || id == "e17" {
                #expect(top.matches.isEmpty, "\(id) was removed")
            } else {
                #expect(top.matches.map(\.id) == [id])
            }
        }
    }

    @Test("removeAll empties one partition and frees its dimension")
    func removeAll() throws {
        let index = PartitionedIndex()
        try index.insert(id: "a1", partition: Self.tenantA, vector: [1, 0])
        try index.insert(id: "a2", partition: Self.tenantA, vector: [0, 1])
        try index.insert(id: "b1", partition: Self.tenantB, vector: [1, 0])
        #expect(index.removeAll(partition: Self.tenantA) == 2)
        #expect(index.removeAll(partition: Self.tenantA) == 0)
        #expect(!index.contains(id: "a1") && index.contains(id: "b1"))
        #expect(index.count == 1)
        try index.insert(id: "a3", partition: Self.tenantA, vector: [1, 0, 0])  // a new dimension is fine now
        #expect(index.count(partition: Self.tenantA) == 1)
    }

    @Test("re-inserting an id replaces its vector, also across partitions")
    func upsert() throws {
        let index = PartitionedIndex(scanPrecision: .f16)
        try index.insert(id: "e", partition: Self.tenantA, vector: [1, 0])
        try index.insert(id: "e", partition: Self.tenantA, vector: [0, 1])
        #expect(index.count == 1)
        #expect(try index.search(partition: Self.tenantA, query: [0, 1], minimumSimilarity: 0.99).best?.id == "e")
        try index.insert(id: "e", partition: Self.tenantB, vector: [0, 1])
        #expect(index.count(partition: Self.tenantA) == 0)
        #expect(index.count(partition: Self.tenantB) == 1)
    }

    @Test("bad vectors and dimension mismatches are rejected")
    func validation() throws {
        let index = PartitionedIndex()
        try index.insert(id: "a", partition: Self.tenantA, vector: [1, 0, 0])
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 3, actual: 2)) {
            try index.insert(id: "b", partition: Self.tenantA, vector: [1, 0])
        }
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 3, actual: 4)) {
            try index.search(partition: Self.tenantA, query: [1, 0, 0, 0], minimumSimilarity: 0)
        }
        for bad: [Float] in [[], [0, 0, 0], [1, .nan, 0], [.infinity, 0, 0]] {
            #expect(throws: VectorIndexError.invalidVector) { try index.insert(id: "c", partition: Self.tenantA, vector: bad) }
        }
        #expect(index.count == 1)
    }

    @Test("scan precisions decode from their config spellings")
    func precisionCoding() throws {
        #expect(ScanPrecision(rawValue: "f32") == .f32)
        #expect(ScanPrecision(rawValue: "f16") == .f16)
        #expect(ScanPrecision(rawValue: "int8") == .int8)
        #expect(ScanPrecision(rawValue: "fp8") == nil)
        let decoded = try JSONDecoder().decode([ScanPrecision].self, from: Data(#"["f32","f16","int8"]"#.utf8))
        #expect(decoded == [.f32, .f16, .int8])
        #expect(String(decoding: try JSONEncoder().encode(ScanPrecision.int8), as: UTF8.self) == #""int8""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ScanPrecision.self, from: Data(#""i4""#.utf8)) }
        #expect(ScanPrecision.int8.scanBytesPerVector(dimension: 384) == 388)
    }
}
