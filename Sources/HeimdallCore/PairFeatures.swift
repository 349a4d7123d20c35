#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The cheap features the hit verifier scores a (query, cached prompt, cosine) triple by:
/// how much of the wording the two prompts share and where they differ in ways that flip the
/// answer. Symmetric in the two prompts. The order of `names` is the order of the model's weights.
public struct PairFeatures: Sendable, Equatable {
    public static let names = [
        "cosine", "cosine_log_gap", "word_jaccard", "content_jaccard", "content_only_one_side", "long_words_only_one_side",
        "bigram_jaccard", "trigram_jaccard", "length_ratio", "length_difference", "shorter_length", "numbers_mismatch",
        "negation_mismatch", "antonym_flip", "entity_difference", "question_word_mismatch", "opening_mismatch",
        "last_content_word_mismatch",
    ]

    public let values: [Double]

    public init(query: String, candidate: String, similarity: Double) {
        self.init(PromptFeatures(query), PromptFeatures(candidate), similarity: similarity)
    }

    init(_ a: PromptFeatures, _ b: PromptFeatures, similarity: Double) {
        let contentA = Self.contentStems(a.words)
        let contentB = Self.contentStems(b.words)
        let onlyOneSide = contentA.symmetricDifference(contentB)
        let lengthA = Double(a.words.count)
        let lengthB = Double(b.words.count)
        let shorter = min(lengthA, lengthB)
        let longer = max(lengthA, lengthB)
        let lastA = a.words.last(where: { !Self.stopWords.contains($0) }).map(Self.stem)
        let lastB = b.words.last(where: { !Self.stopWords.contains($0) }).map(Self.stem)
        values = [
            similarity,
            -log(max(1e-3, 1 - similarity)),
            Self.jaccard(Set(a.words), Set(b.words)),
            Self.jaccard(contentA, contentB),
            Double(onlyOneSide.count),
            Double(onlyOneSide.filter { $0.count >= 7 }.count),
            Self.jaccard(Self.bigrams(a.words), Self.bigrams(b.words)),
            Self.jaccard(Self.characterTrigrams(a.words), Self.characterTrigrams(b.words)),
            longer == 0 ? 1 : shorter / longer,
            abs(lengthA - lengthB),
            shorter,
            a.numbers != b.numbers ? 1 : 0,
            a.negations % 2 != b.negations % 2 ? 1 : 0,
            a.flips(against: b) || b.flips(against: a) ? 1 : 0,
            Double(a.entities.symmetricDifference(b.entities).count),
            a.words.first != b.words.first ? 1 : 0,
            a.words.prefix(2) != b.words.prefix(2) ? 1 : 0,
            lastA != lastB ? 1 : 0,
        ]
    }

    /// Function words: sharing them says nothing about sharing a meaning.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "into",
        "about", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "can",
        "could", "should", "would", "will", "shall", "may", "might", "must", "i", "me", "my", "mine", "you", "your", "yours",
        "he", "him", "his", "she", "her", "it", "its", "we", "us", "our", "they", "them", "their", "this", "that", "these",
        "those", "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "there", "here", "so", "than",
        "then", "too", "very", "just", "some", "any", "all", "each", "one", "get", "im", "ive", "id", "youre", "whats",
        "hows", "way", "ways",
    ]

    /// Content words reduced to a crude stem, so "shaved" meets "shave" and "questions" meets "question".
    static func contentStems(_ words: [String]) -> Set<String> {
        Set(words.filter { !stopWords.contains($0) }.map(stem))
    }

    static func stem(_ word: String) -> String {
        var stem = Substring(word)
        for suffix in ["ing", "ed", "es", "s"] where stem.count > suffix.count + 2 && stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        if stem.count > 4, stem.hasSuffix("e") { stem = stem.dropLast() }
        return String(stem)
    }

    static func bigrams(_ words: [String]) -> Set<String> {
        guard words.count > 1 else { return Set(words) }
        return Set((1..<words.count).map { words[$0 - 1] + " " + words[$0] })
    }

    static func characterTrigrams(_ words: [String]) -> Set<String> {
        let characters = Array(" " + words.joined(separator: " ") + " ")
        guard characters.count >= 3 else { return [String(characters)] }
        return Set((2..<characters.count).map { String(characters[($0 - 2)...$0]) })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
}
