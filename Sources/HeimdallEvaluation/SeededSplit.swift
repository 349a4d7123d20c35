import HeimdallCore

/// A reproducible train/held-out split of `count` items: a Fisher–Yates shuffle driven by
/// SplitMix64, so the same seed gives the same halves on every platform and Swift version
/// (the standard library's `shuffle(using:)` promises neither).
public struct SeededSplit: Sendable, Equatable {
    /// Indices of the training items, ascending.
    public let train: [Int]
    /// Indices of the held-out items, ascending.
    public let heldOut: [Int]
    /// Every index in shuffled order: the first `train.count` are the training items.
    public let shuffled: [Int]

    public init(count: Int, trainFraction: Double, seed: UInt64) {
        var order = Array(0..<count)
        var generator = SplitMix64(seed: seed)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
        }
        let trainCount = min(count, max(0, Int((Double(count) * trainFraction).rounded())))
        shuffled = order
        train = order[..<trainCount].sorted()
        heldOut = order[trainCount...].sorted()
    }
}
