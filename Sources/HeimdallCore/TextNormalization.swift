/// The input normalisation behind direct keys (as Bifrost's): every natural-language
/// text field is lowercased and trimmed, so `"Hello "` and `"hello"` share a key.
/// Only text fields are touched: image URLs, base64 data, tool arguments and ids
/// keep their case, because folding them could make two different requests collide.
public enum TextNormalization {
    static let textKeys: Set<String> = ["content", "text", "input", "prompt", "instructions"]

    public static func normalize(_ text: String) -> String {
        text.lowercased().trimmingASCIIWhitespace()
    }

    /// Normalises `value`, treating bare strings as text when `isText` is true.
    public static func normalizeInput(_ value: JSONValue, isText: Bool = true) -> JSONValue {
        switch value {
        case .string(let s): return isText ? .string(normalize(s)) : value
        case .array(let elements): return .array(elements.map { normalizeInput($0, isText: isText) })
        case .object(let members):
            return .object(members.map { ($0.key, normalizeInput($0.value, isText: textKeys.contains($0.key))) })
        default: return value
        }
    }
}
