/// In-memory semantic index: unit vectors grouped by partition, searched by brute-force scan.
///
/// A lookup only ever compares vectors inside one partition (entries that share the request's
/// exact-match attributes), which keeps each scan small; within a partition the scan is exhaustive,
/// so results are exact up to the scan precision, and candidates are re-scored in float32 so the
/// reported similarities are exact cosines.
///
/// Thread-safe: searches run concurrently under a shared lock; inserts and removals are exclusive.
public final class PartitionedIndex: Sendable {
    /// How vectors are scanned.
    public struct Configuration: Sendable, Hashable {
        /// Element type the scan reads (float32 vectors are always kept for re-scoring).
        public var scanPrecision: ScanPrecision
        /// Candidates a compact (`f16`/`int8`) scan keeps for exact re-scoring.
        public var rescoreCandidates: Int
        /// Kernels to scan with; `.best` unless a test pins a backend.
        public var kernels: ScanKernels

        /// - Precondition: `rescoreCandidates >= 1`.
        public init(scanPrecision: ScanPrecision = .f32, rescoreCandidates: Int = 8, kernels: ScanKernels = .best) {
            precondition(rescoreCandidates >= 1, "at least one candidate must be re-scored")
            self.scanPrecision = scanPrecision
            self.rescoreCandidates = rescoreCandidates
            self.kernels = kernels
        }
    }

    private struct State: Sendable {
        var partitions: [PartitionKey: VectorStorage] = [:]
        /// Which partition holds each id: ids are unique across the whole index.
        var partitionOfID: [String: PartitionKey] = [:]
    }

    /// The configuration the index was created with.
    public let configuration: Configuration
    private let state = ReadWriteLock(State())

    /// An empty index.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// An empty index scanning in `scanPrecision`, with default re-scoring and the best kernels.
    public convenience init(scanPrecision: ScanPrecision) {
        self.init(configuration: Configuration(scanPrecision: scanPrecision))
    }

    // MARK: - Writing

    /// Stores `vector` (normalised to unit length) for entry `id` in `partition`. An existing entry
    /// with the same id is replaced, and moved if it was in another partition.
    ///
    /// - Throws: ``VectorIndexError/invalidVector`` for an empty, zero or non-finite vector;
    ///   ``VectorIndexError/dimensionMismatch(expected:actual:)`` when the partition already holds
    ///   vectors of another length (the first vector fixes a partition's dimension).
    public func insert(id: String, partition: PartitionKey, vector: [Float]) throws {
        guard let unit = UnitVector.normalized(vector) else { throw VectorIndexError.invalidVector }
        let precision = configuration.scanPrecision
        try state.write { state in
            if let existing = state.partitions[partition], existing.dimension != unit.count {
                throw VectorIndexError.dimensionMismatch(expected: existing.dimension, actual: unit.count)
            }
            if let previous = state.partitionOfID[id], previous != partition {
                Self.remove(id: id, from: previous, in: &state)
            }
            state.partitions[partition, default: VectorStorage(dimension: unit.count, scanPrecision: precision)]
                .upsert(id: id, vector: unit)
            state.partitionOfID[id] = partition
        }
    }

    /// Removes entry `id`; returns whether it existed.
    @discardableResult
    public func remove(id: String) -> Bool {
        state.write { state in
            guard let partition = state.partitionOfID[id] else { return false }
            Self.remove(id: id, from: partition, in: &state)
            return true
        }
    }

    /// Removes every entry of `partition`; returns how many there were.
    @discardableResult
    public func removeAll(partition: PartitionKey) -> Int {
        state.write { state in
            guard let storage = state.partitions.removeValue(forKey: partition) else { return 0 }
            for row in 0..<storage.count {
                state.partitionOfID.removeValue(forKey: storage.id(atRow: row))
            }
            return storage.count
        }
    }

    private static func remove(id: String, from partition: PartitionKey, in state: inout State) {
        state.partitionOfID.removeValue(forKey: id)
        state.partitions[partition]?.remove(id: id)
        if state.partitions[partition]?.isEmpty == true {
            state.partitions.removeValue(forKey: partition)  // an empty partition keeps no dimension
        }
    }

    // MARK: - Reading

    /// The up to `k` entries of `partition` whose exact cosine similarity to `query` is at least
    /// `minimumSimilarity`, best first, plus the best similarity seen even if below the threshold.
    ///
    /// - Throws: ``VectorIndexError/invalidVector`` for an unusable query,
    ///   ``VectorIndexError/dimensionMismatch(expected:actual:)`` if it does not fit the partition.
    public func search(
        partition: PartitionKey, query: [Float], minimumSimilarity: Float, k: Int = 1
    ) throws -> SemanticSearchResult {
        precondition(k >= 0, "k must not be negative")
        guard let unit = UnitVector.normalized(query) else { throw VectorIndexError.invalidVector }
        let configuration = configuration
        let candidates = try state.read { state -> [SemanticMatch] in
            guard let storage = state.partitions[partition] else { return [] }
            guard storage.dimension == unit.count else {
                throw VectorIndexError.dimensionMismatch(expected: storage.dimension, actual: unit.count)
            }
            // At least one candidate even for k == 0, so the best similarity is always known.
            return storage.search(
                query: unit, k: max(k, 1), rescoreCandidates: configuration.rescoreCandidates,
                kernels: configuration.kernels)
        }
        guard let best = candidates.first else { return .empty }
        let matches = candidates.prefix(k).filter { $0.similarity >= minimumSimilarity }
        return SemanticSearchResult(matches: Array(matches), bestSimilarity: best.similarity)
    }

    /// Number of entries across all partitions.
    public var count: Int { state.read { $0.partitionOfID.count } }

    /// Number of non-empty partitions.
    public var partitionCount: Int { state.read { $0.partitions.count } }

    /// Number of entries in one partition.
    public func count(partition: PartitionKey) -> Int { state.read { $0.partitions[partition]?.count ?? 0 } }

    /// Bytes of all stored matrices (float32 rows, scan copies, scales; ids excluded).
    public var bytes: Int { state.read { $0.partitions.values.reduce(0) { $0 + $1.bytes } } }

    /// Whether entry `id` is stored.
    public func contains(id: String) -> Bool { state.read { $0.partitionOfID[id] != nil } }
}
