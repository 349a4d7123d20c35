/// Checks that reject a semantic match whose prompts look alike but ask different things
/// (docs/behaviour.md §6): "5 miles" vs "50 miles", "is X working" vs "is X not working",
/// "before" vs "after". Each rule compares cheap token features of the two prompts; the
/// `verifier` check weighs them all, with the cosine, in a trained `HitVerifier`.
public struct HitQualityGuard: Sendable, Equatable {
    public enum Check: String, Sendable, CaseIterable {
        /// The numbers in both prompts must be the same, in the same order.
        case numbers
        /// Both prompts must be negated the same number of times (parity).
        case negation
        /// One prompt must not use a word whose opposite the other uses (before/after, best/worst, …).
        case antonyms
        /// Capitalised words inside a sentence (names, places, products) must match.
        case entities
        /// The trained verifier must judge the pair a duplicate (probability ≥ its cut-off).
        case verifier
    }

    public var checks: Set<Check>
    /// The model the `verifier` check consults.
    public var verifier: HitVerifier

    public init(checks: Set<Check>, verifier: HitVerifier = .trained) {
        self.checks = checks
        self.verifier = verifier
    }

    public static let none = HitQualityGuard(checks: [])

    /// Parses `"numbers,negation"`, `"numbers,negation,antonyms,verifier"`, `"all"` or `"none"`.
    public init?(_ text: String) {
        verifier = .trained
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        if names == ["none"] || names.isEmpty {
            checks = []
        } else if names == ["all"] {
            checks = Set(Check.allCases)
        } else {
            var parsed: Set<Check> = []
            for name in names {
                guard let check = Check(rawValue: String(name)) else { return nil }
                parsed.insert(check)
            }
            checks = parsed
        }
    }

    public var description: String {
        checks.isEmpty ? "none" : Check.allCases.filter(checks.contains).map(\.rawValue).joined(separator: ",")
    }

    /// Whether serving `candidate`'s answer for `query`, whose embeddings have cosine
    /// `similarity`, passes every enabled check.
    public func accepts(query: String, candidate: String, similarity: Double) -> Bool {
        rejection(query: query, candidate: candidate, similarity: similarity) == nil
    }

    /// The first check that fails, or nil.
    public func rejection(query: String, candidate: String, similarity: Double) -> Check? {
        guard !checks.isEmpty else { return nil }
        let a = PromptFeatures(query)
        let b = PromptFeatures(candidate)
        for check in Check.allCases where checks.contains(check) {
            switch check {
            case .numbers where a.numbers != b.numbers: return check
            case .negation where a.negations % 2 != b.negations % 2: return check
            case .antonyms where a.flips(against: b) || b.flips(against: a): return check
            case .entities where a.entities != b.entities: return check
            case .verifier
            where verifier.probability(PairFeatures(a, b, similarity: similarity).values) < verifier.cutoff:
                return check
            default: continue
            }
        }
        return nil
    }
}

extension String {
    /// `don't` → `dont`, so contractions match the negation list.
    func replacingApostrophes() -> String {
        String(unicodeScalars.filter { $0 != "'" && $0 != "’" }.map(Character.init))
    }
}

extension Substring {
    /// The substring without leading and trailing characters from `set` (Foundation-free).
    public func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return s
    }
}
