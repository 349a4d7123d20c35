/// A `multipart/form-data` body (RFC 7578) reduced to what a cache key needs: each text
/// field's value and each file's SHA-256, so audio transcriptions and video jobs can be
/// keyed on the bytes that determine their output (docs/behaviour.md §3).
public struct MultipartForm: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: ArraySlice<UInt8>
    }

    public var parts: [Part]

    /// The boundary parameter of a `multipart/form-data` content type, or nil for any other type.
    public static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        guard let type = pieces.first, type.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: " ").lowercased() == "boundary" else { continue }
            var value = String(pair[1].trimmingCharacters(in: " "))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.utf8.count > 70 ? nil : value
        }
        return nil
    }

    /// Parses `body`; nil when it is not well-formed multipart with that boundary.
    public init?(body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = Self.find(delimiter, in: body, from: 0) else { return nil }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < body.count, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            guard let headersStart = Self.skipLineEnd(body, at: position) else { return nil }
            guard let headersEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: headersStart) else { return nil }
            let next = Array("\r\n".utf8) + delimiter
            guard let partEnd = Self.find(next, in: body, from: headersEnd + 4) else { return nil }
            var part = Part(name: "", filename: nil, contentType: nil, body: body[(headersEnd + 4)..<partEnd])
            let headerText = String(decoding: body[headersStart..<headersEnd], as: UTF8.self)
            for line in headerText.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let value = String(pair[1].trimmingCharacters(in: " \t"))
                switch pair[0].lowercased() {
                case "content-disposition":
                    part.name = Self.parameter("name", in: value) ?? ""
                    part.filename = Self.parameter("filename", in: value)
                case "content-type":
                    part.contentType = value
                default: continue
                }
            }
            parts.append(part)
            position = partEnd + 2
        }
        self.parts = parts
    }

    /// The form as a JSON object for keying: text fields as strings (repeated names as arrays),
    /// files as `"sha256:<hex>"` of their bytes. File names are left out: they do not change the output.
    public var keyDocument: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var positions: [String: Int] = [:]
        for part in parts {
            let value: JSONValue =
                part.filename != nil
                ? .string("sha256:" + Digest.sha256Hex(part.body)) : .string(String(decoding: part.body, as: UTF8.self))
            if let index = positions[part.name] {
                if case .array(let values) = members[index].value {
                    members[index].value = .array(values + [value])
                } else {
                    members[index].value = .array([members[index].value, value])
                }
            } else {
                positions[part.name] = members.count
                members.append((part.name, value))
            }
        }
        return .object(members)
    }

    static func parameter(_ name: String, in disposition: String) -> String? {
        for piece in disposition.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: " ").lowercased() == name else { continue }
            var value = String(pair[1].trimmingCharacters(in: " "))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func skipLineEnd(_ body: [UInt8], at i: Int) -> Int? {
        var i = i
        while i < body.count, body[i] == UInt8(ascii: " ") || body[i] == UInt8(ascii: "\t") { i += 1 }
        if i + 1 < body.count, body[i] == UInt8(ascii: "\r"), body[i + 1] == UInt8(ascii: "\n") { return i + 2 }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
