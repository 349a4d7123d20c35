import HeimdallCore

/// Token counts from a response's `usage` (Chat/Completions and Responses API spellings),
/// stored with the entry so stats can report the tokens a hit saved.
struct ResponseUsage {
    var promptTokens: Int?
    var completionTokens: Int?

    init(body: [UInt8]) {
        let usage = JSONObjectLayout.member("usage", of: body)
        promptTokens = Self.int(usage?["prompt_tokens"] ?? usage?["input_tokens"])
        completionTokens = Self.int(usage?["completion_tokens"] ?? usage?["output_tokens"])
    }

    static func int(_ value: JSONValue?) -> Int? {
        guard case .number(let n)? = value else { return nil }
        return Int(n)
    }
}
