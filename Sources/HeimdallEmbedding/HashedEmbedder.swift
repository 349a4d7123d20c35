/// A cheap, deterministic embedder for tests and as an explicit no-model option: feature
/// hashing of word unigrams and character 3-grams into 384 dimensions.
///
/// Texts sharing words and spellings get similar vectors; it knows nothing about meaning
/// (paraphrases with different words are not similar). Hashing uses FNV-1a, not Swift's
/// per-process randomised `Hasher`, so vectors are identical across processes and machines.
public struct HashedEmbedder: Embedder {
    public let provider = "local"
    public let model = "hashed-ngram-384"
    public let dimensions: Int

    /// Weight of a whole-word feature relative to one character 3-gram.
    private static let wordWeight: Float = 2

    public init(dimensions: Int = 384) {
        precondition(dimensions > 0, "dimensions must be positive")
        self.dimensions = dimensions
    }

    public func embed(_ text: String) async throws -> Embedding {
        embedSynchronously(text)
    }

    /// The vector for `text`: unit norm, also for empty text (which gets a fixed feature).
    public func embedSynchronously(_ text: String) -> Embedding {
        var vector = [Float](repeating: 0, count: dimensions)
        let words = Self.words(of: text)
        for word in words {
            add(feature: 0x77, word, weight: Self.wordWeight, to: &vector)
            // Trigrams of " word " so prefixes and suffixes count as features too.
            let padded: [Unicode.Scalar] = [" "] + word + [" "]
            if padded.count >= 3 {
                for start in 0...(padded.count - 3) {
                    add(feature: 0x33, padded[start..<start + 3], weight: 1, to: &vector)
                }
            }
        }
        if words.isEmpty { add(feature: 0x00, [], weight: 1, to: &vector) }
        var norm: Float = 0
        for value in vector { norm += value * value }
        norm = norm.squareRoot()
        if norm > 0 {
            for i in vector.indices { vector[i] /= norm }
        } else {
            // Every feature cancelled out (possible with signed hashing): fall back to the empty-text vector.
            add(feature: 0x00, [], weight: 1, to: &vector)
        }
        return Embedding(vector: vector, inputTokens: words.count)
    }

    /// Lowercased runs of letters and digits.
    static func words(of text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Adds ±weight at the feature's hashed index; the sign comes from another hash bit so that
    /// collisions cancel on average instead of accumulating.
    private func add<S: Sequence>(feature kind: UInt8, _ scalars: S, weight: Float, to vector: inout [Float])
    where S.Element == Unicode.Scalar {
        var hash = FNV1a()
        hash.combine(kind)
        for scalar in scalars {
            UTF8.encode(scalar) { hash.combine($0) }
        }
        let index = Int(hash.value % UInt64(dimensions))
        let sign: Float = (hash.value >> 63) == 0 ? 1 : -1
        vector[index] += sign * weight
    }
}

/// 64-bit FNV-1a: stable across runs and platforms, unlike `Hasher`.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
