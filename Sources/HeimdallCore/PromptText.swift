/// The text a semantic lookup embeds: `"role: content"` lines joined by `\n` for
/// conversations, the prompt or input string otherwise (docs/behaviour.md §3).
public struct PromptText: Sendable {
    public let text: String
    public let messageCount: Int

    public init(route: RouteFamily, body: JSONValue, excludeSystemPrompt: Bool) {
        switch route {
        case .chatCompletions:
            let messages = body["messages"]?.arrayValue ?? []
            let lines = messages.compactMap { message -> String? in
                let role = message["role"]?.stringValue ?? "user"
                if excludeSystemPrompt, role == "system" || role == "developer" { return nil }
                return "\(role): \(Self.flatten(message["content"]))"
            }
            text = lines.joined(separator: "\n")
            messageCount = messages.count
        case .responses:
            var lines: [String] = []
            if !excludeSystemPrompt, let instructions = body["instructions"]?.stringValue {
                lines.append("system: \(instructions)")
            }
            if let items = body["input"]?.arrayValue {
                for item in items {
                    let role = item["role"]?.stringValue ?? "user"
                    if excludeSystemPrompt, role == "system" || role == "developer" { continue }
                    lines.append("\(role): \(Self.flatten(item["content"] ?? item))")
                }
                messageCount = items.count
            } else {
                lines.append(Self.flatten(body["input"]))
                messageCount = 1
            }
            text = lines.joined(separator: "\n")
        case .textCompletions:
            text = Self.flatten(body["prompt"])
            messageCount = 1
        case .embeddings, .audioSpeech:
            text = Self.flatten(body["input"])
            messageCount = 1
        case .imageGenerations, .videoCreate, .videoRemix:
            text = Self.flatten(body["prompt"])
            messageCount = 1
        case .audioTranscriptions:
            text = ""
            messageCount = 1
        }
    }

    /// What `messageCount` of the full text would be, without building the text.
    public static func messageCount(route: RouteFamily, body: JSONValue) -> Int {
        switch route {
        case .chatCompletions: return body["messages"]?.arrayValue?.count ?? 0
        case .responses: return body["input"]?.arrayValue?.count ?? 1
        default: return 1
        }
    }

    /// The text parts of a content value: a string, or the `text` of content parts.
    static func flatten(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .array(let parts)?: return parts.map { flatten($0) }.filter { !$0.isEmpty }.joined(separator: " ")
        case .object?:
            if let text = value?["text"]?.stringValue { return text }
            if let content = value?["content"] { return flatten(content) }
            return ""
        default: return ""
        }
    }
}
