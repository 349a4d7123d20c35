/// Byte ranges of a JSON object's members, found without building values, so a
/// field can be inserted or replaced while every other byte stays as the upstream sent it.
public struct JSONObjectLayout {
    struct Member {
        var key: String
        var valueRange: Range<Int>
    }

    /// Index of the opening `{`.
    var open: Int
    /// Index of the closing `}`.
    var close: Int
    var members: [Member]

    /// The value of the last top-level member named `key`, parsed alone: reading one field of
    /// a large response without building the rest of it.
    public static func member(_ key: String, of bytes: [UInt8]) -> JSONValue? {
        guard let layout = read(bytes), let member = layout.members.last(where: { $0.key == key }) else { return nil }
        return try? JSONParser.parse(Array(bytes[member.valueRange]))
    }

    /// Reads the object starting at `start` (after optional whitespace). Returns nil for anything else.
    static func read(_ bytes: [UInt8], from start: Int = 0) -> JSONObjectLayout? {
        var scanner = JSONParser(bytes: bytes, maxDepth: JSONParser.defaultMaxDepth)
        scanner.index = start
        scanner.skipWhitespace()
        guard scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "{") else { return nil }
        let open = scanner.index
        scanner.index += 1
        var members: [Member] = []
        scanner.skipWhitespace()
        if scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "}") {
            return JSONObjectLayout(open: open, close: scanner.index, members: [])
        }
        while true {
            scanner.skipWhitespace()
            guard scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "\""),
                let key = try? scanner.parseString()
            else { return nil }
            scanner.skipWhitespace()
            guard (try? scanner.expect(UInt8(ascii: ":"))) != nil else { return nil }
            scanner.skipWhitespace()
            let valueStart = scanner.index
            guard (try? scanner.skipValue(depth: 1)) != nil else { return nil }
            members.append(Member(key: key, valueRange: valueStart..<scanner.index))
            scanner.skipWhitespace()
            guard scanner.index < bytes.count else { return nil }
            if bytes[scanner.index] == UInt8(ascii: ",") {
                scanner.index += 1
                continue
            }
            guard bytes[scanner.index] == UInt8(ascii: "}") else { return nil }
            return JSONObjectLayout(open: open, close: scanner.index, members: members)
        }
    }
}

extension JSONParser {
    /// Moves past one value, checking structure but building nothing.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth <= maxDepth else { throw error(.tooDeep) }
            let isObject = bytes[index] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                if isObject {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter) }
                    try skipString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw error(.unexpectedEnd) }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(close)
                return
            }
        case UInt8(ascii: "\""): try skipString()
        default: _ = try parseValue(depth: depth)
        }
    }

    mutating func skipString() throws(JSONParseError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        throw error(.unexpectedEnd)
    }
}
