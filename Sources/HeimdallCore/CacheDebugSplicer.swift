/// Puts `cache_debug` into `extra_fields` of a JSON object body, leaving every
/// other byte of the upstream's body as it was (docs/behaviour.md §2 and §4): an existing
/// `extra_fields` object keeps its other members, an existing `cache_debug` is replaced.
public enum CacheDebugSplicer {
    /// Whether a body of `contentType` gets `cache_debug` spliced in: JSON (and an answer without a
    /// content type, which OpenAI-compatible APIs send as JSON); audio and other binary bodies do not.
    public static func carriesDebug(contentType: String?) -> Bool {
        contentType.map { $0.lowercased().contains("json") } ?? true
    }

    /// The spliced body, or nil when the body is not a JSON object (then it is sent unchanged).
    public static func splice(_ debug: CacheDebug, into body: [UInt8]) -> [UInt8]? {
        splice(field: "cache_debug", value: debug.json, into: body)
    }

    static func splice(field: String, value: [UInt8], into body: [UInt8]) -> [UInt8]? {
        guard let top = JSONObjectLayout.read(body) else { return nil }
        var member: [UInt8] = []
        CanonicalJSON.writeString(field, into: &member)
        member.append(UInt8(ascii: ":"))
        member.append(contentsOf: value)

        guard let extra = top.members.last(where: { $0.key == "extra_fields" }) else {
            var inserted: [UInt8] = top.members.isEmpty ? [] : [UInt8(ascii: ",")]
            inserted.append(contentsOf: Array("\"extra_fields\":{".utf8))
            inserted.append(contentsOf: member)
            inserted.append(UInt8(ascii: "}"))
            return replacing(body, range: top.close..<top.close, with: inserted)
        }
        guard let inner = JSONObjectLayout.read(body, from: extra.valueRange.lowerBound),
            inner.close < extra.valueRange.upperBound
        else {
            // `extra_fields` is null or not an object: replace it with one holding only our field.
            return replacing(body, range: extra.valueRange, with: [UInt8(ascii: "{")] + member + [UInt8(ascii: "}")])
        }
        if let existing = inner.members.last(where: { $0.key == field }) {
            return replacing(body, range: existing.valueRange, with: value)
        }
        let insertAt = inner.open + 1
        let inserted = inner.members.isEmpty ? member : member + [UInt8(ascii: ",")]
        return replacing(body, range: insertAt..<insertAt, with: inserted)
    }

    static func replacing(_ body: [UInt8], range: Range<Int>, with bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + bytes.count)
        out.append(contentsOf: body[..<range.lowerBound])
        out.append(contentsOf: bytes)
        out.append(contentsOf: body[range.upperBound...])
        return out
    }
}
