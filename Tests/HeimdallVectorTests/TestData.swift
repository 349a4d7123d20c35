import HeimdallVector

/// Deterministic pseudo-random numbers (SplitMix64), so every failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestData {
    static func unitVector(_ d: Int, using rng: inout SplitMix64) -> [Float] {
        var v = (0..<d).map { _ in Float.random(in: -1...1, using: &rng) }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in v.indices { v[j] /= norm }
        return v
    }

    /// `n` unit rows of length `d`, flattened row-major.
    static func matrix(rows n: Int, dimension d: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var flat: [Float] = []
        flat.reserveCapacity(n * d)
        for _ in 0..<n { flat += unitVector(d, using: &rng) }
        return flat
    }

    /// A query whose cosine with `base` is about 0.9, like the peer benchmark's noisy copies.
    static func noisyCopy(of base: [Float], using rng: inout SplitMix64) -> [Float] {
        let noise = unitVector(base.count, using: &rng)
        var q = zip(base, noise).map { $0 + 0.48 * $1 }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in q.indices { q[j] /= norm }
        return q
    }

    static func row(_ flat: [Float], _ i: Int, _ d: Int) -> ArraySlice<Float> { flat[i * d..<(i + 1) * d] }
}
