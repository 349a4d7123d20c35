/// A parsed JSON document that keeps what canonicalisation needs and nothing more.
///
/// Numbers keep their original lexeme so that huge or precise values are never
/// rounded through `Double` before the canonical form is chosen. Objects keep
/// member order (and duplicates, last one wins on lookup) so that callers can
/// decide how to treat them.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value of the last member named `key`, as JSON parsers conventionally resolve duplicates.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { return Double(n) }
        return nil
    }

    /// Object members with duplicates resolved (last wins), in first-seen order.
    public var uniqueMembers: [(key: String, value: JSONValue)]? {
        guard case .object(let members) = self else { return nil }
        if members.count <= 16 {
            // Small objects (almost all of them): a quadratic scan beats hashing every key.
            var result: [(key: String, value: JSONValue)] = []
            result.reserveCapacity(members.count)
            for member in members {
                if let i = result.firstIndex(where: { $0.key == member.key }) {
                    result[i].value = member.value
                } else {
                    result.append(member)
                }
            }
            return result
        }
        var index: [String: Int] = [:]
        var result: [(key: String, value: JSONValue)] = []
        for member in members {
            if let i = index[member.key] {
                result[i].value = member.value
            } else {
                index[member.key] = result.count
                result.append(member)
            }
        }
        return result
    }
}
