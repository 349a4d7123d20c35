import HeimdallCore

/// Writes a parsed document back with members in a random order and random whitespace:
/// the same request to any JSON reader, so it must get the same cache key.
enum Reserialiser {
    static func shuffledBytes(_ value: JSONValue, using generator: inout SplitMix64) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, using: &generator)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], using generator: inout SplitMix64) {
        space(&out, &generator)
        switch value {
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out, using: &generator)
            }
            space(&out, &generator)
            out.append(UInt8(ascii: "]"))
        case .object:
            // Duplicates resolved first: with them, order would decide which value wins.
            let members = (value.uniqueMembers ?? []).shuffled(using: &generator)
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                space(&out, &generator)
                out.append(contentsOf: CanonicalJSON.encode(.string(member.key)))
                space(&out, &generator)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out, using: &generator)
            }
            space(&out, &generator)
            out.append(UInt8(ascii: "}"))
        case .number(let lexeme):
            out.append(contentsOf: lexeme.utf8)  // the original spelling: canonicalisation must not depend on it
        default:
            out.append(contentsOf: CanonicalJSON.encode(value))
        }
        space(&out, &generator)
    }

    static func space(_ out: inout [UInt8], _ generator: inout SplitMix64) {
        let whitespace: [UInt8] = [0x20, 0x0A, 0x09, 0x0D]
        for _ in 0..<Int(generator.next() % 3) where generator.next() % 2 == 0 {
            out.append(whitespace[Int(generator.next() % 4)])
        }
    }
}
