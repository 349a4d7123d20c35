import Foundation
import Testing

@testable import HeimdallEmbedding

/// Tokenizer rules on a small hand-written vocabulary (no model download needed).
struct WordPieceTokenizerTests {
    static let tokens = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",  // 0...4
        "un", "##aff", "##able", "aff", "able",  // 5...9
        "x", "y", "a", "b", "$",  // 10...14
        "##⊗", "##b", "ab", "cafe", "zerowidth",  // 15...19
        "中", "文", "σοφοσ", "ᄉ", "##ᅥ",  // 20...24
        "##ᄋ", "##ᅮ", "##ᆯ", "##a", "hello",  // 25...29
        "world", "!", "lodz", "ł", "##odz",  // 30...34
    ]
    let tokenizer = try! WordPieceTokenizer(vocabulary: Vocabulary(tokens: tokens))

    func id(_ token: String) -> Int32 { Int32(Self.tokens.firstIndex(of: token)!) }

    func pieces(_ text: String) -> [String] {
        let ids = tokenizer.encode(text)
        #expect(ids.first == 2 && ids.last == 3, "every encoding is wrapped in [CLS] … [SEP]")
        return ids.dropFirst().dropLast().map { Self.tokens[Int($0)] }
    }

    @Test func greedyLongestMatchFirst() {
        #expect(pieces("unaffable") == ["un", "##aff", "##able"])
        #expect(pieces("hello world!") == ["hello", "world", "!"])
    }

    @Test func unmatchableRemainderMakesTheWholeWordUnknown() {
        #expect(pieces("unaffablez") == ["[UNK]"])
        #expect(pieces("hello unaffablez world") == ["hello", "[UNK]", "world"])
    }

    @Test func specialTokensAreMatchedInsideWordsAndCaseSensitively() {
        #expect(pieces("x[SEP]y") == ["x", "[SEP]", "y"])
        #expect(pieces("[MASK]") == ["[MASK]"])
        // Lowercase is not special: punctuation + word + punctuation ("sep" is not in this vocab).
        #expect(pieces("[sep]") == ["[UNK]", "[UNK]", "[UNK]"])
    }

    @Test func punctuationSplitsButSymbolsDoNot() {
        #expect(pieces("a$b") == ["a", "$", "b"])
        #expect(pieces("a⊗b") == ["a", "##⊗", "##b"])
    }

    @Test func cleaningDropsControlAndFormatScalars() {
        #expect(pieces("a\u{000C}b") == ["ab"], "\\f is Cc: dropped, not whitespace")
        #expect(pieces("zero\u{200B}width") == ["zerowidth"], "U+200B is Cf")
        #expect(pieces("a\u{00AD}b\u{FEFF}") == ["ab"], "soft hyphen and BOM are Cf")
        #expect(pieces("a\u{0000}b\u{FFFD}") == ["ab"])
    }

    @Test func unicodeWhitespaceSeparatesWords() {
        #expect(pieces("hello\u{00A0}world\u{3000}a\tb\r\nab") == ["hello", "world", "a", "b", "ab"])
    }

    @Test func accentsAreStrippedAndCaseFolded() {
        #expect(pieces("CAFÉ") == ["cafe"])
        #expect(pieces("cafe\u{0301}") == ["cafe"])
        #expect(pieces("Łódź") == ["ł", "##odz"], "Ł has no decomposition; ó and ź lose their accents")
        #expect(pieces("ΣΟΦΟΣ") == ["σοφοσ"], "per-scalar lowercase, no final-sigma context rule")
    }

    @Test func hangulDecomposesToConjoiningJamo() {
        #expect(pieces("서울") == ["ᄉ", "##ᅥ", "##ᄋ", "##ᅮ", "##ᆯ"])
    }

    @Test func cjkIdeographsAreSeparateWords() {
        #expect(pieces("中文") == ["中", "文"])
        #expect(pieces("a中b") == ["a", "中", "b"])
    }

    @Test func wordsOverOneHundredScalarsAreUnknown() {
        #expect(pieces(String(repeating: "a", count: 100)).count == 100)
        #expect(pieces(String(repeating: "a", count: 101)) == ["[UNK]"])
    }

    @Test func truncatesTo254PiecesPlusMarkers() {
        let ids = tokenizer.encode(Array(repeating: "ab", count: 300).joined(separator: " "))
        #expect(ids.count == 256)
        #expect(ids.first == 2 && ids.last == 3)
        #expect(ids.dropFirst().dropLast().allSatisfy { $0 == id("ab") })
        #expect(tokenizer.encode("a b a b", maxLength: 4) == [2, id("a"), id("b"), 3])
    }

    @Test func emptyAndBlankTextStillHaveMarkers() {
        #expect(tokenizer.encode("") == [2, 3])
        #expect(tokenizer.encode(" \t\u{200B}\n") == [2, 3])
    }

    @Test func vocabularyIsKeyedByBytesNotCanonicalEquivalence() {
        let vocabulary = Vocabulary(tokens: ["e\u{301}", "x"])
        #expect(vocabulary.id(of: "e\u{301}") == 0)
        #expect(vocabulary.id(of: "é") == nil, "precomposed é is a different byte sequence")
    }

    @Test func vocabularyFileParsing() throws {
        let vocabulary = try Vocabulary(vocabTxt: Data("[UNK]\n[CLS]\n[SEP]\ndup\nword\ndup\n".utf8), source: "test")
        #expect(vocabulary.count == 6)
        #expect(vocabulary.id(of: "word") == 4)
        #expect(vocabulary.id(of: "dup") == 5, "a repeated token maps to its last line, as a Python dict would")
        #expect(vocabulary.token(4) == "word")
        #expect(try Vocabulary(vocabTxt: Data("a\nb".utf8), source: "test").count == 2, "no trailing newline")
        #expect(throws: EmbeddingError.self) { try Vocabulary(vocabTxt: Data([0x61, 0xFF, 0x0A]), source: "bad") }
    }

    @Test func requiresTheBertMarkers() {
        #expect(throws: EmbeddingError.self) { try WordPieceTokenizer(vocabulary: Vocabulary(tokens: ["a", "b"])) }
    }
}
