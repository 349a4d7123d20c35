/// One server-sent event as it crossed the wire: its exact bytes, terminating blank
/// line included, and what the cache needs to know about it (docs/behaviour.md §3, §4).
public struct ServerSentEvent: Sendable, Equatable {
    /// The event's bytes exactly as received.
    public let bytes: [UInt8]
    /// The `event:` field, if any.
    public let name: String?
    /// The `data:` lines joined by `\n`, or nil when the event has none (comments, `retry:`).
    public let data: [UInt8]?

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var name: String?
        var data: [UInt8]?
        for line in Self.lines(bytes) {
            if line.starts(with: Self.dataPrefix) {
                var value = line.dropFirst(Self.dataPrefix.count)
                if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
                if data == nil { data = Array(value) } else { data!.append(UInt8(ascii: "\n")); data!.append(contentsOf: value) }
            } else if line.starts(with: Self.eventPrefix) {
                var value = line.dropFirst(Self.eventPrefix.count)
                if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
                name = String(decoding: value, as: UTF8.self)
            }
        }
        self.name = name
        self.data = data
    }

    static let dataPrefix = Array("data:".utf8)
    static let eventPrefix = Array("event:".utf8)
    static let done = Array("[DONE]".utf8)

    /// The event's lines without their terminators (CRLF, LF or CR), blank lines dropped.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if i > start { lines.append(bytes[start..<i]) }
                if byte == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// `data: [DONE]`, the end of an OpenAI chat or completions stream.
    public var isDone: Bool { data == Self.done }

    /// The data parsed as JSON, when it is JSON.
    public var json: JSONValue? {
        guard let data, data.first == UInt8(ascii: "{") else { return nil }
        return try? JSONParser.parse(data)
    }

    /// What this event means for recording the stream.
    public var kind: Kind {
        if isDone { return .done }
        if name == "error" { return .error }
        guard let json = json else { return data == nil ? .other : .data }
        let type = json["type"]?.stringValue
        if json["error"].map({ $0 != .null }) == true || type == "error" || type == "response.failed" {
            return .error
        }
        if type == "response.completed" { return .completed }
        if type == "response.incomplete" { return .incomplete }
        if let usage = json["usage"], usage != .null { return .final }
        if let choices = json["choices"]?.arrayValue,
            choices.contains(where: { choice in choice["finish_reason"].map { $0 != .null } ?? false })
        {
            return .final
        }
        return .data
    }

    public enum Kind: Sendable, Equatable {
        /// `data: [DONE]`: the stream ended normally (chat and text completions).
        case done
        /// The Responses API's `response.completed`: the stream ended normally.
        case completed
        /// The Responses API's `response.incomplete`: ended early, not stored.
        case incomplete
        /// An error event or a chunk carrying an `error`: the stream is not stored.
        case error
        /// A chunk that may be the last data chunk (finish reason or usage): `cache_debug` goes here.
        case final
        /// Any other data chunk.
        case data
        /// A comment or a field-only event without data.
        case other
    }

    /// The same event with `cache_debug` in its JSON data, all other bytes kept; nil when its data is not a JSON object.
    public func splicing(_ debug: CacheDebug) -> [UInt8]? {
        guard let data, data.first == UInt8(ascii: "{") else { return nil }
        // A JSON document has no raw newline inside its strings, so multi-line data can become one line.
        let oneLine = data.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 }
        guard let spliced = CacheDebugSplicer.splice(debug, into: oneLine) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + spliced.count - oneLine.count + 8)
        var wroteData = false
        for line in Self.lines(bytes) {
            if line.starts(with: Self.dataPrefix) {
                guard !wroteData else { continue }
                wroteData = true
                out.append(contentsOf: Self.dataPrefix)
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: spliced)
            } else {
                out.append(contentsOf: line)
            }
            out.append(UInt8(ascii: "\n"))
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

/// Cuts a byte stream into server-sent events at blank lines, however the bytes are chunked.
public struct ServerSentEventSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Where the scan for a blank line resumes, so a long event is not rescanned per chunk.
    private var scanned = 0

    public init() {}

    /// The events completed by `chunk`, in order.
    public mutating func push(_ chunk: some Collection<UInt8>) -> [ServerSentEvent] {
        pending.append(contentsOf: chunk)
        var events: [ServerSentEvent] = []
        var start = 0
        var i = max(scanned, 0)
        while i < pending.count {
            if let end = Self.blankLineEnd(pending, at: i) {
                events.append(ServerSentEvent(bytes: Array(pending[start..<end])))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start > 0 { pending.removeFirst(start) }
        // A terminator may straddle chunks: rescan the last three bytes next time.
        scanned = max(pending.count - 3, 0)
        return events
    }

    /// Bytes of an event that never got its blank line (a stream cut short).
    public var remainder: [UInt8] { pending }

    /// The end index of an event terminator (`\n\n`, `\r\n\r\n`, `\r\r`) starting at `i`.
    static func blankLineEnd(_ b: [UInt8], at i: Int) -> Int? {
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        if b[i] == lf, i + 1 < b.count, b[i + 1] == lf { return i + 2 }
        if b[i] == cr, i + 3 < b.count, b[i + 1] == lf, b[i + 2] == cr, b[i + 3] == lf { return i + 4 }
        if b[i] == lf, i + 2 < b.count, b[i + 1] == cr, b[i + 2] == lf { return i + 3 }
        if b[i] == cr, i + 1 < b.count, b[i + 1] == cr { return i + 2 }
        return nil
    }
}
