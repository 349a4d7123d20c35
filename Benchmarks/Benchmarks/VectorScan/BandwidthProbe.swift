import CMemoryProbe

/// One buffer, sized like the largest stored matrix, whose prefixes the read-bandwidth probes sum.
/// Shared so the probes add 1.5 GB to the run's footprint once, not once per size.
final class BandwidthProbe: @unchecked Sendable {
    // @unchecked: the buffer is written once in init and only read afterwards.
    static let shared = BandwidthProbe(bytes: 1_536_000_000)

    private let words: UnsafeMutableBufferPointer<UInt64>

    private init(bytes: Int) {
        words = .allocate(capacity: bytes / 8)
        // Touch every page now, so the probe measures reads, not page faults.
        for i in words.indices { words[i] = UInt64(truncatingIfNeeded: i) }
    }

    deinit { words.deallocate() }

    /// Sums the first `bytes` of the buffer with one thread; returns the sum to keep it observable.
    func sum(bytes: Int) -> UInt64 {
        precondition(bytes <= words.count * 8, "probe buffer too small")
        return hv_probe_sum_u64(words.baseAddress!, bytes / 8)
    }
}
