/// When and how a partition is searched through an inverted file instead of a flat scan.
///
/// Partitions below `minimumVectors` keep the exact flat scan. A larger one is clustered with
/// spherical k-means into about `listsPerSquareRoot · √n` lists; a search compares the query with
/// every centroid, then scans only the lists that can hold a match at the request's threshold.
public struct InvertedFileSettings: Sendable, Hashable {
    /// How training is started when a partition becomes due.
    public enum Training: Sendable, Hashable {
        /// On a background queue, right after the insert that made it due (the server's mode).
        case background
        /// Only by ``PartitionedIndex/trainDuePartitions()`` (tests; bulk loads train that way anyway).
        case manual
    }

    /// Partitions with fewer vectors are scanned flat.
    public var minimumVectors: Int
    /// Most lists a search probes, nearest centroid first, among those the threshold bound keeps;
    /// 0 = all of them, which finds every match a flat scan would.
    public var maximumProbes: Int
    /// Lists per square root of the partition's size at training.
    public var listsPerSquareRoot: Double
    /// Lloyd iterations of the k-means training.
    public var trainingIterations: Int
    /// Training sample size per list (the whole partition when smaller).
    public var samplesPerList: Int
    /// A partition is retrained once it holds this many times the vectors it was trained on.
    public var retrainGrowth: Double
    /// Seed of the training sample and the initial centroids.
    public var seed: UInt64
    public var training: Training

    public init(
        minimumVectors: Int = 20_000, maximumProbes: Int = 0, listsPerSquareRoot: Double = 1, trainingIterations: Int = 5,
        samplesPerList: Int = 32, retrainGrowth: Double = 2, seed: UInt64 = 0x4956_4649_4C45, training: Training = .background
    ) {
        precondition(minimumVectors >= 1 && maximumProbes >= 0 && listsPerSquareRoot > 0, "invalid inverted-file settings")
        precondition(trainingIterations >= 0 && samplesPerList >= 1 && retrainGrowth > 1, "invalid inverted-file training settings")
        self.minimumVectors = minimumVectors
        self.maximumProbes = maximumProbes
        self.listsPerSquareRoot = listsPerSquareRoot
        self.trainingIterations = trainingIterations
        self.samplesPerList = samplesPerList
        self.retrainGrowth = retrainGrowth
        self.seed = seed
        self.training = training
    }

    /// The k-means that trains a partition of `count` vectors.
    func kmeans(count: Int) -> SphericalKMeans {
        let lists = max(1, Int((listsPerSquareRoot * Double(count).squareRoot()).rounded()))
        return SphericalKMeans(centroidCount: lists, sampleSize: lists * samplesPerList, iterations: trainingIterations, seed: seed)
    }
}
