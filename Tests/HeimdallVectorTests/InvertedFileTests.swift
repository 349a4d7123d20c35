import Testing

@testable import HeimdallVector

@Suite("Inverted file")
struct InvertedFileTests {
    static let partition = PartitionKey([0x1F])
    static let dimension = 32

    /// `clusters` tight groups (members at cosine ≈ 0.97 from their centre) of `perCluster` unit
    /// vectors: the nearest neighbour of a member's noisy copy is unambiguous.
    static func clustered(clusters: Int, perCluster: Int, seed: UInt64) -> [(id: String, vector: [Float])] {
        var rng = SplitMix64(seed: seed)
        let centres = (0..<clusters).map { _ in TestData.unitVector(dimension, using: &rng) }
        var rows: [(String, [Float])] = []
        for member in 0..<perCluster {
            for (c, centre) in centres.enumerated() {
                rows.append(("c\(c)-m\(member)", near(centre, spread: 0.25, using: &rng)))
            }
        }
        return rows
    }

    /// A unit vector near `base`: `base + spread · noise`, normalised.
    static func near(_ base: [Float], spread: Float, using rng: inout SplitMix64) -> [Float] {
        let noise = TestData.unitVector(base.count, using: &rng)
        let v = zip(base, noise).map { $0 + spread * $1 }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    static func settings(minimumVectors: Int = 500) -> InvertedFileSettings {
        InvertedFileSettings(minimumVectors: minimumVectors, training: .manual)
    }

    static func index(_ rows: [(id: String, vector: [Float])], precision: ScanPrecision, settings: InvertedFileSettings?) throws
        -> PartitionedIndex
    {
        let index = PartitionedIndex(configuration: .init(scanPrecision: precision, invertedFile: settings))
        for (id, vector) in rows { try index.insert(id: id, partition: partition, vector: vector) }
        return index
    }

    @Test("k-means is deterministic for a seed and depends on it")
    func kmeansDeterminism() {
        var storage = VectorStorage(dimension: Self.dimension, scanPrecision: .f32)
        for (id, vector) in Self.clustered(clusters: 8, perCluster: 40, seed: 3) { storage.upsert(id: id, vector: vector) }
        let kernels = ScanKernels.best
        func centroids(seed: UInt64) -> [Float] {
            SphericalKMeans(centroidCount: 8, sampleSize: 200, iterations: 4, seed: seed)
                .train([storage], dimension: Self.dimension, kernels: kernels).withRows { Array($0) }
        }
        let first = centroids(seed: 1)
        #expect(first.count == 8 * Self.dimension)
        #expect(first == centroids(seed: 1))
        #expect(first != centroids(seed: 2))
        for c in 0..<8 {
            let norm = first[c * Self.dimension..<(c + 1) * Self.dimension].reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-4, "centroids are unit vectors")
        }
    }

    @Test("finds the same matches as a flat scan on clustered data", arguments: [ScanPrecision.f32, .int8])
    func equalsBruteForce(precision: ScanPrecision) throws {
        let rows = Self.clustered(clusters: 30, perCluster: 25, seed: 11)
        let flat = try Self.index(rows, precision: precision, settings: nil)
        let ivf = try Self.index(rows, precision: precision, settings: Self.settings())
        #expect(ivf.layout(partition: Self.partition) == .flat(training: false))
        #expect(ivf.trainDuePartitions() == 1)
        #expect(ivf.layout(partition: Self.partition) == .invertedFile(lists: 27, trainedOn: 750, training: false))
        var rng = SplitMix64(seed: 12)
        var scanned = 0
        for probe in stride(from: 0, to: rows.count, by: 7) {
            let query = Self.near(rows[probe].vector, spread: 0.05, using: &rng)
            let expected = try flat.search(partition: Self.partition, query: query, minimumSimilarity: 0.9, k: 4)
            let found = try ivf.search(partition: Self.partition, query: query, minimumSimilarity: 0.9, k: 4)
            #expect(found.matches == expected.matches)
            #expect(found.best?.id == rows[probe].id)
            scanned += found.scannedVectors
            // With no threshold nothing can be skipped: the whole answer, best similarity included, is the flat one.
            let everything = try ivf.search(partition: Self.partition, query: query, minimumSimilarity: -1, k: 4)
            #expect(everything == (try flat.search(partition: Self.partition, query: query, minimumSimilarity: -1, k: 4)))
        }
        #expect(scanned < rows.count * (rows.count / 7) / 2, "the radius bound skips most lists on clustered data")
    }

    @Test("a probe limit scans only the nearest lists, which suffices for well-separated clusters")
    func probeLimit() throws {
        let rows = Self.clustered(clusters: 30, perCluster: 25, seed: 13)
        let index = try Self.index(
            rows, precision: .int8, settings: InvertedFileSettings(minimumVectors: 500, maximumProbes: 2, training: .manual))
        index.trainDuePartitions()
        var rng = SplitMix64(seed: 14)
        for probe in stride(from: 0, to: rows.count, by: 11) {
            let query = Self.near(rows[probe].vector, spread: 0.05, using: &rng)
            let everything = try index.search(partition: Self.partition, query: query, minimumSimilarity: -1)
            #expect(everything.best?.id == rows[probe].id)
            #expect(everything.scannedVectors < rows.count / 4, "two of 27 lists, not every list")
        }
    }

    @Test("inserts and removals after training, and retraining once the partition has doubled")
    func insertRemoveRetrain() throws {
        let rows = Self.clustered(clusters: 20, perCluster: 60, seed: 21)
        let index = try Self.index(Array(rows[0..<500]), precision: .int8, settings: Self.settings())
        #expect(index.trainDuePartitions() == 1)
        #expect(index.trainDuePartitions() == 0, "nothing is due right after training")
        for (id, vector) in rows[500..<999] { try index.insert(id: id, partition: Self.partition, vector: vector) }
        #expect(index.layout(partition: Self.partition) == .invertedFile(lists: 22, trainedOn: 500, training: false))
        #expect(index.remove(id: rows[3].id))
        #expect(!index.contains(id: rows[3].id))
        try index.insert(id: rows[4].id, partition: Self.partition, vector: rows[700].vector)  // moves to another list
        #expect(try index.search(partition: Self.partition, query: rows[3].vector, minimumSimilarity: 0.999).matches.isEmpty)
        #expect(
            try index.search(partition: Self.partition, query: rows[700].vector, minimumSimilarity: 0.999, k: 2).matches.map(\.id).sorted()
                == [rows[4].id, rows[700].id].sorted())
        #expect(index.trainDuePartitions() == 0, "998 < 2 × 500")
        try index.insert(id: rows[999].id, partition: Self.partition, vector: rows[999].vector)
        try index.insert(id: rows[3].id, partition: Self.partition, vector: rows[3].vector)
        #expect(index.trainDuePartitions() == 1)
        #expect(index.layout(partition: Self.partition) == .invertedFile(lists: 32, trainedOn: 1000, training: false))
        #expect(index.count == 1000)
        for (id, vector) in rows[0..<1000] where id != rows[4].id && id != rows[700].id {
            #expect(try index.search(partition: Self.partition, query: vector, minimumSimilarity: 0.999).best?.id == id)
        }
    }

    @Test("changes made while a training runs are replayed onto its result; a stale result is dropped")
    func trainingJournal() {
        let rows = Self.clustered(clusters: 4, perCluster: 30, seed: 31)
        let kernels = ScanKernels.best
        var vectors = PartitionVectors(dimension: Self.dimension, scanPrecision: .int8)
        for (id, vector) in rows[0..<100] { vectors.upsert(id: id, vector: vector, kernels: kernels) }
        let snapshot = vectors.beginTraining(token: 7)
        for (id, vector) in rows[100..<120] { vectors.upsert(id: id, vector: vector, kernels: kernels) }
        vectors.remove(id: rows[0].id)
        let kmeans = SphericalKMeans(centroidCount: 4, sampleSize: 100, iterations: 3, seed: 1)
        let file = InvertedFile(training: snapshot, dimension: Self.dimension, scanPrecision: .int8, kmeans: kmeans, kernels: kernels)
        #expect(file.count == 100)
        let stale = vectors.finishTraining(token: 8, result: file, kernels: kernels)
        #expect(!stale && vectors.flat != nil)
        let current = vectors.finishTraining(token: 7, result: file, kernels: kernels)
        #expect(current)
        #expect(vectors.inverted != nil && vectors.training == nil)
        #expect(Set(vectors.ids) == Set(rows[1..<120].map(\.id)))
    }

    @Test("matches respect the threshold; a miss still reports the nearest list's best similarity")
    func thresholdSemantics() throws {
        let rows = Self.clustered(clusters: 30, perCluster: 25, seed: 41)
        let index = try Self.index(rows, precision: .int8, settings: Self.settings())
        index.trainDuePartitions()
        var rng = SplitMix64(seed: 42)
        let far = TestData.unitVector(Self.dimension, using: &rng)
        let miss = try index.search(partition: Self.partition, query: far, minimumSimilarity: 0.99, k: 4)
        #expect(miss.matches.isEmpty)
        #expect(miss.bestSimilarity != nil && miss.bestSimilarity! < 0.99)
        let query = Self.near(rows[5].vector, spread: 0.3, using: &rng)
        let result = try index.search(partition: Self.partition, query: query, minimumSimilarity: 0.8, k: 8)
        #expect(result.matches.allSatisfy { $0.similarity >= 0.8 })
        let raised = try index.search(partition: Self.partition, query: query, minimumSimilarity: 0.9, k: 8)
        #expect(raised.matches == result.matches.filter { $0.similarity >= 0.9 })
    }

    @Test("partitions below the size limit keep the flat scan")
    func smallPartitionsStayFlat() throws {
        let rows = Self.clustered(clusters: 10, perCluster: 20, seed: 51)
        let index = try Self.index(rows, precision: .int8, settings: Self.settings(minimumVectors: 201))
        #expect(index.trainDuePartitions() == 0)
        #expect(index.layout(partition: Self.partition) == .flat(training: false))
        let result = try index.search(partition: Self.partition, query: rows[0].vector, minimumSimilarity: 0.9)
        #expect(result.scannedVectors == 200)
        #expect(result.best?.id == rows[0].id)
    }

    @Test("a bulk load trains once at the end; background training swaps the file in", .timeLimit(.minutes(1)))
    func bulkLoadAndBackground() async throws {
        let rows = Self.clustered(clusters: 10, perCluster: 60, seed: 61)
        let index = PartitionedIndex(
            configuration: .init(scanPrecision: .int8, invertedFile: InvertedFileSettings(minimumVectors: 500, training: .background)))
        try index.bulkLoad {
            for (id, vector) in rows[0..<550] { try index.insert(id: id, partition: Self.partition, vector: vector) }
            #expect(index.layout(partition: Self.partition) == .flat(training: false))
        }
        #expect(index.layout(partition: Self.partition) == .invertedFile(lists: 23, trainedOn: 550, training: false))
        // Past 2 × 550 the insert that makes the partition due starts a background retraining.
        let more = Self.clustered(clusters: 10, perCluster: 60, seed: 62).map { (id: "x" + $0.id, vector: $0.vector) }
        for (id, vector) in rows[550...] + more[0..<500] { try index.insert(id: id, partition: Self.partition, vector: vector) }
        while case .invertedFile(_, let trainedOn, _) = index.layout(partition: Self.partition), trainedOn == 550 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(index.count == 1100)
        for (id, vector) in rows {
            #expect(try index.search(partition: Self.partition, query: vector, minimumSimilarity: 0.999).best?.id == id)
        }
    }
}
