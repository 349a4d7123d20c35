/// Checks that reject a semantic match whose prompts look alike but ask different things
/// (CONTRACT §6): "5 miles" vs "50 miles", "is X working" vs "is X not working",
/// "before" vs "after". Each check compares cheap token features of the two prompts.
public struct HitQualityGuard: Sendable, Equatable {
    public enum Check: String, Sendable, CaseIterable {
        /// The numbers in both prompts must be the same multiset.
        case numbers
        /// Both prompts must be negated the same number of times (parity).
        case negation
        /// One prompt must not use a word whose opposite the other uses (before/after, best/worst, …).
        case antonyms
        /// Capitalised words inside a sentence (names, places, products) must match.
        case entities
    }

    public var checks: Set<Check>

    public init(checks: Set<Check>) { self.checks = checks }

    public static let none = HitQualityGuard(checks: [])

    /// Parses `"numbers,negation"`, `"all"` or `"none"`.
    public init?(_ text: String) {
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

    /// Whether serving `candidate`'s answer for `query` passes every enabled check.
    public func accepts(query: String, candidate: String) -> Bool {
        rejection(query: query, candidate: candidate) == nil
    }

    /// The first check that fails, or nil.
    public func rejection(query: String, candidate: String) -> Check? {
        guard !checks.isEmpty else { return nil }
        let a = PromptFeatures(query)
        let b = PromptFeatures(candidate)
        for check in Check.allCases where checks.contains(check) {
            switch check {
            case .numbers where a.numbers != b.numbers: return check
            case .negation where a.negations % 2 != b.negations % 2: return check
            case .antonyms where a.flips(against: b) || b.flips(against: a): return check
            case .entities where a.entities != b.entities: return check
            default: continue
            }
        }
        return nil
    }
}

/// The token features the guard compares, computed once per prompt.
struct PromptFeatures {
    var numbers: [String] = []
    var negations = 0
    var flipWords: Set<String> = []
    var entities: Set<String> = []

    static let negationWords: Set<String> = [
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "cant", "dont", "doesnt",
        "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "hadnt",
    ]

    /// Opposites whose swap keeps a sentence's embedding close but flips its meaning.
    static let opposites: [String: String] = {
        let pairs = [
            ("before", "after"), ("best", "worst"), ("better", "worse"), ("more", "less"), ("most", "least"),
            ("increase", "decrease"), ("enable", "disable"), ("start", "stop"), ("first", "last"), ("min", "max"),
            ("minimum", "maximum"), ("high", "low"), ("higher", "lower"), ("up", "down"), ("buy", "sell"), ("add", "remove"),
            ("male", "female"), ("men", "women"), ("good", "bad"), ("pros", "cons"), ("advantages", "disadvantages"),
            ("older", "newer"), ("cheap", "expensive"), ("cheapest", "most expensive"), ("fast", "slow"), ("faster", "slower"),
            ("true", "false"), ("legal", "illegal"), ("possible", "impossible"), ("safe", "unsafe"), ("love", "hate"),
            ("win", "lose"), ("import", "export"), ("input", "output"), ("encrypt", "decrypt"), ("upload", "download"),
        ]
        var map: [String: String] = [:]
        for (a, b) in pairs {
            map[a] = b
            map[b] = a
        }
        return map
    }()

    /// True when one prompt uses a word and the other its opposite, but not the word itself.
    func flips(against other: PromptFeatures) -> Bool {
        for word in flipWords {
            if let opposite = Self.opposites[word], other.flipWords.contains(opposite), !other.flipWords.contains(word) {
                return true
            }
        }
        return false
    }

    init(_ text: String) {
        var words: [Substring] = []
        var current = ""
        var sentenceStart = true
        var capitalisedInside: Set<String> = []
        func flush() {
            guard !current.isEmpty else { return }
            let word = current
            current = ""
            let lower = word.lowercased()
            if word.first?.isNumber == true {
                numbers.append(word.hasSuffix(".") ? String(word.dropLast()) : word)
            } else if !sentenceStart, word.first?.isUppercase == true, !Self.negationWords.contains(lower), lower != "i" {
                capitalisedInside.insert(lower)
            }
            let bare = lower.replacingApostrophes()
            if Self.negationWords.contains(bare) { negations += 1 }
            if Self.opposites[bare] != nil { flipWords.insert(bare) }
            words.append(Substring(word))
            sentenceStart = false
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "'" || ch == "’" || (ch == "." && current.first?.isNumber == true) {
                current.append(ch)
            } else {
                flush()
                if ch == "." || ch == "?" || ch == "!" || ch == "\n" || ch == ":" { sentenceStart = true }
            }
        }
        flush()
        numbers.sort()
        entities = capitalisedInside
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
