/// Why a request body could not be read as JSON, with the byte offset a user can look at.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case unexpectedEnd = "unexpected end of input"
        case unexpectedCharacter = "unexpected character"
        case invalidNumber = "invalid number"
        case invalidString = "invalid string (bad escape or control character)"
        case invalidUTF8 = "invalid UTF-8"
        case tooDeep = "nesting too deep"
        case trailingData = "trailing data after the JSON value"
    }

    public var reason: Reason
    public var offset: Int

    public var description: String { "\(reason.rawValue) at byte \(offset)" }
}
