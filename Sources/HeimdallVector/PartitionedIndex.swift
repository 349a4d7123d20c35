import Dispatch

/// In-memory semantic index: unit vectors grouped by partition, searched by brute-force scan, or
/// through an inverted file for partitions large enough (``InvertedFileSettings``).
///
/// A lookup only ever compares vectors inside one partition (entries that share the request's
/// exact-match attributes), which keeps each scan small; within a flat partition the scan is
/// exhaustive, and an inverted file skips only lists that cannot hold a match at the threshold
/// (unless `maximumProbes` caps the lists), so results are exact up to the scan precision.
/// Candidates are re-scored in float32 so the reported similarities are exact cosines.
///
/// Thread-safe: searches run concurrently under a shared lock; inserts and removals are exclusive.
/// Training an inverted file runs outside the lock on a snapshot; the changes made meanwhile are
/// replayed onto the result when it is swapped in, the only part that holds the write lock.
public final class PartitionedIndex: Sendable {
    /// How vectors are scanned.
    public struct Configuration: Sendable, Hashable {
        /// Element type the scan reads (float32 vectors are always kept for re-scoring).
        public var scanPrecision: ScanPrecision
        /// Candidates a compact (`f16`/`int8`) scan keeps for exact re-scoring.
        public var rescoreCandidates: Int
        /// Kernels to scan with; `.best` unless a test pins a backend.
        public var kernels: ScanKernels
        /// When large partitions use an inverted file; `nil` scans every partition flat.
        public var invertedFile: InvertedFileSettings?

        /// - Precondition: `rescoreCandidates >= 1`.
        public init(
            scanPrecision: ScanPrecision = .f32, rescoreCandidates: Int = 8, kernels: ScanKernels = .best,
            invertedFile: InvertedFileSettings? = nil
        ) {
            precondition(rescoreCandidates >= 1, "at least one candidate must be re-scored")
            self.scanPrecision = scanPrecision
            self.rescoreCandidates = rescoreCandidates
            self.kernels = kernels
            self.invertedFile = invertedFile
        }
    }

    private struct State: Sendable {
        var partitions: [PartitionKey: PartitionVectors] = [:]
        /// Which partition holds each id: ids are unique across the whole index.
        var partitionOfID: [String: PartitionKey] = [:]
        /// Open ``PartitionedIndex/bulkLoad(_:)`` calls: no background training starts meanwhile.
        var bulkLoads = 0
        var nextTrainingToken: UInt64 = 0
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
        let configuration = configuration
        let training = try state.write { state -> PendingTraining? in
            if let existing = state.partitions[partition], existing.dimension != unit.count {
                throw VectorIndexError.dimensionMismatch(expected: existing.dimension, actual: unit.count)
            }
            if let previous = state.partitionOfID[id], previous != partition {
                Self.remove(id: id, from: previous, in: &state)
            }
            state.partitions[partition, default: PartitionVectors(dimension: unit.count, scanPrecision: configuration.scanPrecision)]
                .upsert(id: id, vector: unit, kernels: configuration.kernels)
            state.partitionOfID[id] = partition
            guard let settings = configuration.invertedFile, settings.training == .background, state.bulkLoads == 0 else { return nil }
            return Self.beginTraining(partition, settings: settings, in: &state)
        }
        if let training {
            DispatchQueue.global(qos: .utility).async { self.train(training) }
        }
    }

    /// Runs `body` (typically many inserts, such as the start-up load) without starting background
    /// trainings, then trains every partition that became due, before returning.
    public func bulkLoad<R>(_ body: () throws -> R) rethrows -> R {
        state.write { $0.bulkLoads += 1 }
        defer {
            state.write { $0.bulkLoads -= 1 }
            trainDuePartitions()
        }
        return try body()
    }

    /// Trains, one after the other on the calling thread, every partition that is due (large
    /// enough and flat, or grown enough since its last training); searches and writes continue
    /// meanwhile. Returns how many were trained.
    @discardableResult
    public func trainDuePartitions() -> Int {
        guard let settings = configuration.invertedFile else { return 0 }
        let due = state.read { state in state.partitions.filter { $0.value.isDueForTraining(settings) }.map(\.key) }
        var trained = 0
        for partition in due {
            guard let training = state.write({ Self.beginTraining(partition, settings: settings, in: &$0) }) else { continue }
            if train(training) { trained += 1 }
        }
        return trained
    }

    /// A training claimed under the write lock, to run outside it.
    private struct PendingTraining: Sendable {
        let partition: PartitionKey
        let token: UInt64
        let rows: [VectorStorage]
        let dimension: Int
        let settings: InvertedFileSettings
    }

    private static func beginTraining(_ partition: PartitionKey, settings: InvertedFileSettings, in state: inout State) -> PendingTraining?
    {
        guard let vectors = state.partitions[partition], vectors.isDueForTraining(settings) else { return nil }
        state.nextTrainingToken += 1
        let token = state.nextTrainingToken
        let rows = state.partitions[partition]!.beginTraining(token: token)
        return PendingTraining(partition: partition, token: token, rows: rows, dimension: vectors.dimension, settings: settings)
    }

    /// Trains outside the lock, then swaps the result in; false if the partition went away meanwhile.
    @discardableResult
    private func train(_ training: PendingTraining) -> Bool {
        let count = training.rows.reduce(0) { $0 + $1.count }
        let file = InvertedFile(
            training: training.rows, dimension: training.dimension, scanPrecision: configuration.scanPrecision,
            kmeans: training.settings.kmeans(count: count), kernels: configuration.kernels)
        return state.write { state in
            state.partitions[training.partition]?.finishTraining(token: training.token, result: file, kernels: configuration.kernels)
                ?? false
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
            guard let vectors = state.partitions.removeValue(forKey: partition) else { return 0 }
            for id in vectors.ids {
                state.partitionOfID.removeValue(forKey: id)
            }
            return vectors.count
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
        let prepared = ScanQuery(unit, precision: configuration.scanPrecision)
        let (candidates, scanned) = try state.read { state -> ([SemanticMatch], Int) in
            guard let vectors = state.partitions[partition] else { return ([], 0) }
            guard vectors.dimension == unit.count else {
                throw VectorIndexError.dimensionMismatch(expected: vectors.dimension, actual: unit.count)
            }
            // At least one candidate even for k == 0, so the best similarity is always known.
            return vectors.search(query: prepared, k: max(k, 1), minimumSimilarity: minimumSimilarity, configuration: configuration)
        }
        guard let best = candidates.first else { return .empty }
        let matches = candidates.prefix(k).filter { $0.similarity >= minimumSimilarity }
        return SemanticSearchResult(matches: Array(matches), bestSimilarity: best.similarity, scannedVectors: scanned)
    }

    /// How one partition is laid out, for logs, statistics and tests.
    public func layout(partition: PartitionKey) -> PartitionLayout? {
        state.read { state in
            guard let vectors = state.partitions[partition] else { return nil }
            if let file = vectors.inverted {
                return .invertedFile(lists: file.listCount, trainedOn: file.trainedCount, training: vectors.training != nil)
            }
            return .flat(training: vectors.training != nil)
        }
    }

    /// Number of entries across all partitions.
    public var count: Int { state.read { $0.partitionOfID.count } }

    /// Number of non-empty partitions.
    public var partitionCount: Int { state.read { $0.partitions.count } }

    /// Number of entries in one partition.
    public func count(partition: PartitionKey) -> Int { state.read { $0.partitions[partition]?.count ?? 0 } }

    /// Bytes of all stored matrices (float32 rows, scan copies, scales, centroids; ids excluded).
    public var bytes: Int { state.read { $0.partitions.values.reduce(0) { $0 + $1.bytes } } }

    /// Whether entry `id` is stored.
    public func contains(id: String) -> Bool { state.read { $0.partitionOfID[id] != nil } }
}
