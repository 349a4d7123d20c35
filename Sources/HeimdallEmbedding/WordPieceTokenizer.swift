import Foundation

/// The BERT uncased WordPiece tokenizer of all-MiniLM-L6-v2, with the semantics of the pipeline
/// sentence-transformers runs (BertNormalizer + BertPreTokenizer + WordPiece from
/// `tokenizer.json`), working on Unicode scalars throughout.
///
/// Steps (docs/minilm-recipe.md): special-token literals → cleaning → CJK spacing →
/// NFD and removal of Mn → per-scalar full lowercase → split on whitespace and punctuation →
/// greedy longest-match WordPiece → `[CLS] pieces[..<254] [SEP]`.
///
/// Text is processed in whitespace-separated chunks and stops once enough pieces exist, so a
/// very long prompt costs only as much as its first few hundred tokens.
public struct WordPieceTokenizer: Sendable {
    /// `max_seq_length` of the sentence-transformers model: at most 254 pieces + [CLS] + [SEP].
    public static let defaultMaxLength = 256
    /// Words longer than this (in scalars) become a single `[UNK]`.
    public static let maxWordScalars = 100

    public let vocabulary: Vocabulary
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    private let specialTokens: [(scalars: [Unicode.Scalar], id: Int32)]

    /// Requires `[UNK]`, `[CLS]` and `[SEP]` in the vocabulary.
    public init(vocabulary: Vocabulary) throws(EmbeddingError) {
        guard let unknown = vocabulary.id(of: "[UNK]"), let cls = vocabulary.id(of: "[CLS]"),
            let sep = vocabulary.id(of: "[SEP]")
        else {
            throw EmbeddingError(.modelFileMismatch, "vocabulary lacks one of [UNK], [CLS], [SEP]; not a BERT vocab.txt")
        }
        self.vocabulary = vocabulary
        unknownID = unknown
        classifierID = cls
        separatorID = sep
        // Matched verbatim and case-sensitively anywhere in the raw text (even inside a word).
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { literal in
            vocabulary.id(of: literal).map { (Array(literal.unicodeScalars), $0) }
        }
    }

    /// Loads `vocab.txt`.
    public init(vocabularyFile: URL) throws(EmbeddingError) {
        try self.init(vocabulary: Vocabulary(contentsOf: vocabularyFile))
    }

    /// Token ids of `text`: `[CLS]`, at most `maxLength - 2` pieces, `[SEP]`.
    public func encode(_ text: String, maxLength: Int = defaultMaxLength) -> [Int32] {
        var encoding = PieceCollector(tokenizer: self, limit: max(0, maxLength - 2))
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex && !encoding.isFull {
            let scalar = scalars[index]
            if scalar == "[", let (id, next) = matchSpecialToken(in: scalars, at: index) {
                encoding.flushChunk()
                encoding.append(id)
                index = next
                continue
            }
            encoding.consume(scalar)
            index = scalars.index(after: index)
        }
        encoding.flushChunk()
        return [classifierID] + encoding.pieces.prefix(encoding.limit) + [separatorID]
    }

    private func matchSpecialToken(
        in scalars: String.UnicodeScalarView, at start: String.UnicodeScalarView.Index
    ) -> (Int32, String.UnicodeScalarView.Index)? {
        candidates: for special in specialTokens {
            var index = start
            for expected in special.scalars {
                guard index < scalars.endIndex, scalars[index] == expected else { continue candidates }
                index = scalars.index(after: index)
            }
            return (special.id, index)
        }
        return nil
    }
}

/// Per-call state of `WordPieceTokenizer.encode`: buffers reused across chunks and words.
private struct PieceCollector {
    let vocabulary: Vocabulary
    let unknownID: Int32
    let limit: Int
    private(set) var pieces: [Int32] = []
    /// Cleaned scalars of the current whitespace-delimited run.
    private var chunk: [Unicode.Scalar] = []
    private var chunkIsASCII = true
    /// The chunk after accent stripping and lowercasing.
    private var normalized: [Unicode.Scalar] = []
    private var wordBytes: [UInt8] = []
    /// wordBytes offset at which scalar i of the word starts; one extra entry for the end.
    private var scalarOffsets: [Int] = []

    init(tokenizer: WordPieceTokenizer, limit: Int) {
        vocabulary = tokenizer.vocabulary
        unknownID = tokenizer.unknownID
        self.limit = limit
    }

    var isFull: Bool { pieces.count >= limit }

    mutating func append(_ id: Int32) { pieces.append(id) }

    /// Cleaning, whitespace and CJK handling of one raw scalar.
    mutating func consume(_ scalar: Unicode.Scalar) {
        if BertCharacterClasses.isRemovedByCleaning(scalar) { return }
        if BertCharacterClasses.isWhitespace(scalar) {
            flushChunk()
        } else if BertCharacterClasses.isCJKIdeograph(scalar) {
            // Spaces around the ideograph make it a chunk of its own.
            flushChunk()
            chunk.append(scalar)
            chunkIsASCII = false
            flushChunk()
        } else {
            chunk.append(scalar)
            if !scalar.isASCII { chunkIsASCII = false }
        }
    }

    /// Normalises the pending chunk and turns its words into pieces.
    mutating func flushChunk() {
        guard !chunk.isEmpty else { return }
        normalized.removeAll(keepingCapacity: true)
        if chunkIsASCII {
            // NFD is the identity on ASCII; only lowercasing applies.
            for scalar in chunk { normalized.append(Self.asciiLowercased(scalar)) }
        } else {
            normalizeUnicode()
        }
        chunk.removeAll(keepingCapacity: true)
        chunkIsASCII = true

        var wordStart = 0
        for (i, scalar) in normalized.enumerated() {
            if BertCharacterClasses.isWhitespace(scalar) {
                appendWordPieces(wordStart..<i)
                wordStart = i + 1
            } else if BertCharacterClasses.isPunctuation(scalar) {
                appendWordPieces(wordStart..<i)
                appendWordPieces(i..<i + 1)
                wordStart = i + 1
            }
        }
        appendWordPieces(wordStart..<normalized.count)
    }

    /// NFD, drop nonspacing marks (strip accents), then each scalar's full lowercase mapping.
    private mutating func normalizeUnicode() {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: chunk)
        let decomposed = String(view).decomposedStringWithCanonicalMapping
        for scalar in decomposed.unicodeScalars {
            if scalar.isASCII {
                normalized.append(Self.asciiLowercased(scalar))
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.changesWhenLowercased {
                normalized.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            } else {
                normalized.append(scalar)
            }
        }
    }

    /// Greedy longest-match-first WordPiece over `normalized[range]`; an unmatchable remainder
    /// turns the whole word into one `[UNK]`.
    private mutating func appendWordPieces(_ range: Range<Int>) {
        guard !range.isEmpty, !isFull else { return }
        guard range.count <= WordPieceTokenizer.maxWordScalars else {
            pieces.append(unknownID)
            return
        }
        wordBytes.removeAll(keepingCapacity: true)
        scalarOffsets.removeAll(keepingCapacity: true)
        for scalar in normalized[range] {
            scalarOffsets.append(wordBytes.count)
            UTF8.encode(scalar) { wordBytes.append($0) }
        }
        scalarOffsets.append(wordBytes.count)

        let firstPiece = pieces.count
        let count = range.count
        let bytes = wordBytes
        let offsets = scalarOffsets
        let matched = bytes.withUnsafeBufferPointer { bytes -> Bool in
            var start = 0
            while start < count {
                var end = count
                var id: Int32?
                while end > start {
                    let piece = UnsafeBufferPointer(rebasing: bytes[offsets[start]..<offsets[end]])
                    id = vocabulary.id(of: piece, continuation: start > 0)
                    if id != nil { break }
                    end -= 1
                }
                guard let id else { return false }
                pieces.append(id)
                start = end
            }
            return true
        }
        if !matched {
            pieces.removeSubrange(firstPiece...)
            pieces.append(unknownID)
        }
    }

    private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (65...90).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar
    }
}
