/// The error shape OpenAI clients parse: `{"error":{"message":…,"type":…,"code":…}}`.
public struct OpenAIErrorBody: Sendable, Equatable {
    public var message: String
    public var type: String
    public var code: String?

    public init(message: String, type: String, code: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
    }

    public var json: [UInt8] {
        var inner: [(key: String, value: JSONValue)] = [("message", .string(message)), ("type", .string(type))]
        inner.append(("param", .null))
        inner.append(("code", code.map { .string($0) } ?? .null))
        var out: [UInt8] = Array("{\"error\":{".utf8)
        for (i, member) in inner.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            CanonicalJSON.write(member.value, into: &out)
        }
        out.append(contentsOf: Array("}}".utf8))
        return out
    }
}
