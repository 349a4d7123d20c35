import Foundation

/// A WordPiece vocabulary (`vocab.txt`: line *i* is the token with id *i*), looked up by UTF-8
/// bytes.
///
/// Keys are bytes, not `String`s: `String` equality and hashing use canonical equivalence
/// (`"é" == "e\u{301}"`) and allocate; the tokenizer looks up many substrings per word, so an
/// open-addressing table over one contiguous byte buffer keeps look-ups allocation-free.
public struct Vocabulary: Sendable {
    /// Concatenated UTF-8 bytes of all tokens; token `id` is `bytes[offsets[id] ..< offsets[id + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    /// Open-addressing slots holding token ids, -1 when empty. Power-of-two sized, ≤ 50 % full.
    private let slots: [Int32]
    /// Longest token in bytes; longer substrings are never looked up.
    let longestTokenBytes: Int

    /// Number of tokens (ids are 0 ..< count).
    public var count: Int { offsets.count - 1 }

    /// Builds a vocabulary from tokens in id order. A repeated token maps to its last id, as a
    /// Python dict built from the file would.
    public init<S: Sequence>(tokens: S) where S.Element == String {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        for token in tokens {
            bytes.append(contentsOf: token.utf8)
            offsets.append(bytes.count)
        }
        self.init(bytes: bytes, offsets: offsets)
    }

    /// Reads `vocab.txt`.
    public init(contentsOf url: URL) throws(EmbeddingError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EmbeddingError(.modelFileUnreadable, "cannot read vocabulary \(url.path): \(error.localizedDescription)")
        }
        try self.init(vocabTxt: data, source: url.path)
    }

    /// Parses the contents of `vocab.txt`: tokens separated by `\n` (a final newline does not add
    /// an empty token). `source` names the file in errors.
    public init(vocabTxt data: Data, source: String) throws(EmbeddingError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count)
        var offsets: [Int] = [0]
        for byte in data {
            if byte == UInt8(ascii: "\n") {
                offsets.append(bytes.count)
            } else {
                bytes.append(byte)
            }
        }
        if offsets.last != bytes.count { offsets.append(bytes.count) }  // no trailing newline
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw EmbeddingError(.modelFileUnreadable, "vocabulary \(source) is not valid UTF-8")
        }
        self.init(bytes: bytes, offsets: offsets)
    }

    private init(bytes: [UInt8], offsets: [Int]) {
        let count = offsets.count - 1
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var longest = 0
        bytes.withUnsafeBufferPointer { all in
            for id in 0..<count {
                let token = UnsafeBufferPointer(rebasing: all[offsets[id]..<offsets[id + 1]])
                longest = max(longest, token.count)
                var slot = Int(truncatingIfNeeded: Self.hash(continuation: false, token)) & (capacity - 1)
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    if all[offsets[other]..<offsets[other + 1]].elementsEqual(token) { break }  // duplicate: last wins
                    slot = (slot + 1) & (capacity - 1)
                }
                slots[slot] = Int32(id)
            }
        }
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        self.longestTokenBytes = longest
    }

    /// The id of the token spelled by `piece`, or, when `continuation` is true, by `"##" + piece`.
    func id(of piece: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int32? {
        let prefix = continuation ? 2 : 0
        guard piece.count + prefix <= longestTokenBytes else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(continuation: continuation, piece)) & mask
        return bytes.withUnsafeBufferPointer { all -> Int32? in
            while true {
                let id = slots[slot]
                if id < 0 { return nil }
                let start = offsets[Int(id)]
                let end = offsets[Int(id) + 1]
                if end - start == piece.count + prefix {
                    var equal = true
                    if continuation {
                        equal = all[start] == UInt8(ascii: "#") && all[start + 1] == UInt8(ascii: "#")
                    }
                    if equal {
                        var i = 0
                        while i < piece.count {
                            if all[start + prefix + i] != piece[i] {
                                equal = false
                                break
                            }
                            i += 1
                        }
                    }
                    if equal { return id }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of `token` (exact bytes), if present.
    public func id(of token: String) -> Int32? {
        var utf8 = Array(token.utf8)
        return utf8.withUnsafeMutableBufferPointer { id(of: UnsafeBufferPointer($0), continuation: false) }
    }

    /// The token spelled by `id`.
    public func token(_ id: Int32) -> String {
        String(decoding: bytes[offsets[Int(id)]..<offsets[Int(id) + 1]], as: UTF8.self)
    }

    /// FNV-1a over the optional `##` prefix and the piece: stable and cheap for short keys.
    private static func hash(continuation: Bool, _ piece: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = FNV1a()
        if continuation {
            hash.combine(UInt8(ascii: "#"))
            hash.combine(UInt8(ascii: "#"))
        }
        for byte in piece { hash.combine(byte) }
        return hash.value
    }
}
