import HeimdallCore

/// Latencies of one kind, in milliseconds: exact count, mean and max, and a bounded uniform
/// reservoir (Algorithm R, deterministic seed) for percentiles, exact until `capacity` samples.
struct LatencySamples: Sendable {
    let capacity: Int
    private(set) var count = 0
    private(set) var sum = 0.0
    private(set) var max = 0.0
    private var reservoir: [Double] = []
    private var random = SplitMix64(seed: 0x4845_494D_4441_4C4C)

    init(capacity: Int = 16_384) { self.capacity = capacity }

    mutating func add(_ duration: Duration) { add(milliseconds: Self.milliseconds(duration)) }

    mutating func add(milliseconds value: Double) {
        count += 1
        sum += value
        max = Swift.max(max, value)
        if reservoir.count < capacity {
            reservoir.append(value)
        } else {
            let slot = Int(random.next() % UInt64(count))
            if slot < capacity { reservoir[slot] = value }
        }
    }

    /// Nearest-rank percentiles of the reservoir (p in 0...100).
    func summary() -> StatsSnapshot.Latency {
        guard count > 0 else { return StatsSnapshot.Latency(count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0) }
        let sorted = reservoir.sorted()
        func percentile(_ p: Double) -> Double {
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
            return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
        }
        return StatsSnapshot.Latency(
            count: count, mean: Self.round(sum / Double(count)), p50: Self.round(percentile(50)), p90: Self.round(percentile(90)),
            p99: Self.round(percentile(99)), max: Self.round(max))
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Microsecond resolution keeps the JSON short without hiding anything a person reads.
    static func round(_ ms: Double) -> Double { (ms * 1000).rounded() / 1000 }
}
