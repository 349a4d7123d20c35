/// The token features the guard and the verifier compare, computed once per prompt.
struct PromptFeatures {
    var numbers: [String] = []
    var negations = 0
    var flipWords: Set<String> = []
    var entities: Set<String> = []
    /// Every word, lower-cased and without apostrophes, in order; role labels (`user:`) left out.
    var words: [String] = []

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

    /// The roles `PromptText` writes before each message.
    static let roleLabels: Set<Substring> = ["system", "user", "assistant", "developer", "tool"]

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
            words.append(bare.hasSuffix(".") ? String(bare.dropLast()) : bare)
            sentenceStart = false
        }
        for ch in Self.withoutRoleLabels(text) {
            if ch.isLetter || ch.isNumber || ch == "'" || ch == "’" || (ch == "." && current.first?.isNumber == true) {
                current.append(ch)
            } else {
                flush()
                if ch == "." || ch == "?" || ch == "!" || ch == "\n" || ch == ":" { sentenceStart = true }
            }
        }
        flush()
        // Numbers keep their order: "writer 5, prompt 4" and "writer 4, prompt 5" ask different things.
        entities = capitalisedInside
    }

    /// `user: How…` → `How…`: the proxy's role labels are not part of what was asked.
    static func withoutRoleLabels(_ text: String) -> String {
        guard text.contains(":") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if let colon = line.firstIndex(of: ":"), roleLabels.contains(line[..<colon]) {
                return line[line.index(after: colon)...].drop(while: { $0 == " " })
            }
            return line
        }.joined(separator: "\n")
    }
}
