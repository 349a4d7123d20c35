/// One partition's vectors: a flat ``VectorStorage`` until the partition is large enough for an
/// ``InvertedFile``, plus the changes made while a training runs off-lock, so they can be replayed
/// onto its result before it replaces the current layout.
struct PartitionVectors: Sendable {
    /// A change made while a training was running.
    enum Change: Sendable {
        case upsert(id: String, vector: [Float])
        case remove(id: String)
    }

    /// A training in flight: its token (a partition removed and re-created meanwhile gets a new
    /// one, so a stale result is dropped) and the changes it has not seen.
    struct Training: Sendable {
        let token: UInt64
        var changes: [Change] = []
    }

    // Exactly one of the two is set; optionals rather than an enum so updates happen in place.
    private(set) var flat: VectorStorage?
    private(set) var inverted: InvertedFile?
    private(set) var training: Training?

    init(dimension: Int, scanPrecision: ScanPrecision) {
        flat = VectorStorage(dimension: dimension, scanPrecision: scanPrecision)
    }

    var dimension: Int { flat?.dimension ?? inverted!.dimension }
    var count: Int { flat?.count ?? inverted!.count }
    var isEmpty: Bool { count == 0 }
    var bytes: Int { flat?.bytes ?? inverted!.bytes }

    /// Every stored id.
    var ids: [String] {
        if let flat { return (0..<flat.count).map(flat.id(atRow:)) }
        return Array(inverted!.ids)
    }

    mutating func upsert(id: String, vector: [Float], kernels: ScanKernels) {
        if flat != nil {
            flat!.upsert(id: id, vector: vector)
        } else {
            vector.withUnsafeBufferPointer { inverted!.upsert(id: id, row: $0, kernels: kernels) }
        }
        training?.changes.append(.upsert(id: id, vector: vector))
    }

    mutating func remove(id: String) {
        if flat != nil { flat!.remove(id: id) } else { inverted!.remove(id: id) }
        training?.changes.append(.remove(id: id))
    }

    func search(
        query: ScanQuery, k: Int, minimumSimilarity: Float, configuration: PartitionedIndex.Configuration
    ) -> (matches: [SemanticMatch], scanned: Int) {
        if let flat {
            let matches = flat.search(
                query: query.vector, k: k, rescoreCandidates: configuration.rescoreCandidates, kernels: configuration.kernels)
            return (matches, flat.count)
        }
        return inverted!.search(
            query: query, k: k, minimumSimilarity: minimumSimilarity, maximumLists: configuration.invertedFile?.maximumProbes ?? 0,
            rescoreCandidates: configuration.rescoreCandidates, kernels: configuration.kernels)
    }

    // MARK: - Training

    /// Whether the partition should be (re)trained: large enough and flat, or grown enough since
    /// its last training, and no training already running.
    func isDueForTraining(_ settings: InvertedFileSettings) -> Bool {
        guard training == nil else { return false }
        if let inverted { return Double(count) >= settings.retrainGrowth * Double(max(inverted.trainedCount, 1)) }
        return count >= settings.minimumVectors
    }

    /// Starts recording changes for a training and returns the rows to train on (copy-on-write
    /// copies: nothing is duplicated unless the partition changes meanwhile).
    mutating func beginTraining(token: UInt64) -> [VectorStorage] {
        training = Training(token: token)
        return flat.map { [$0] } ?? inverted!.listsSnapshot
    }

    /// Replaces the layout with a trained file after replaying the changes it has not seen;
    /// returns false (and changes nothing) for a stale token.
    mutating func finishTraining(token: UInt64, result: InvertedFile, kernels: ScanKernels) -> Bool {
        guard let training, training.token == token else { return false }
        var file = result
        for change in training.changes {
            switch change {
            case .upsert(let id, let vector): vector.withUnsafeBufferPointer { file.upsert(id: id, row: $0, kernels: kernels) }
            case .remove(let id): file.remove(id: id)
            }
        }
        flat = nil
        inverted = file
        self.training = nil
        return true
    }
}
