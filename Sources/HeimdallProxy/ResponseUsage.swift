import HeimdallCore

/// Token counts from a response's `usage` (Chat/Completions and Responses API spellings),
/// stored with the entry so stats can report the tokens a hit saved.
struct ResponseUsage {
    var promptTokens: Int?
    var completionTokens: Int?

    init(body: [UInt8]) {
        // Chat and completions put usage at the top; a Responses stream's last event nests it in `response`.
        let usage = JSONObjectLayout.member("usage", of: body) ?? JSONObjectLayout.member("response", of: body)?["usage"]
        promptTokens = Self.int(usage?["prompt_tokens"] ?? usage?["input_tokens"])
        completionTokens = Self.int(usage?["completion_tokens"] ?? usage?["output_tokens"])
    }

    static func int(_ value: JSONValue?) -> Int? {
        guard case .number(let n)? = value else { return nil }
        return Int(n)
    }
}
