/// How a partition's vectors are searched.
public enum PartitionLayout: Sendable, Hashable {
    /// Every vector is scanned; `training` while an inverted file is being built from it.
    case flat(training: Bool)
    /// Only the lists the threshold bound keeps are scanned; `trainedOn` vectors trained the
    /// centroids; `training` while a retraining runs.
    case invertedFile(lists: Int, trainedOn: Int, training: Bool)
}
