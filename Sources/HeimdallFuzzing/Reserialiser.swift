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

/// SplitMix64: a tiny seeded generator, the same sequence on every run and platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
