/// The shared secret admin calls must present as `Authorization: Bearer <token>` (docs/behaviour.md §5).
/// Prints as `<redacted>`, so a configuration dump or an error message can never leak it.
public struct AdminToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// nil for the empty string (no token) or one with characters a header cannot carry.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        self.bytes = bytes
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// Whether an `Authorization` header value is `Bearer <this token>`. The comparison takes the
    /// same time wherever the first differing byte is, so response timing does not reveal a prefix.
    public func authorizes(header: String?) -> Bool {
        guard let header else { return false }
        let scheme = "bearer "
        let utf8 = Array(header.utf8)
        guard utf8.count >= scheme.utf8.count,
            String(decoding: utf8[..<scheme.utf8.count], as: UTF8.self).lowercased() == scheme
        else { return false }
        return Self.constantTimeEquals(Array(utf8[scheme.utf8.count...]), bytes)
    }

    /// Compares every byte of `expected` whatever `given` holds; the loop length depends only on the secret's length.
    static func constantTimeEquals(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for index in expected.indices {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
