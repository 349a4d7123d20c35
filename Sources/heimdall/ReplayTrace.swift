import ArgumentParser
import Foundation
import HeimdallCore

/// The requests `bench replay` sends, read from a trace file (format in docs/replay.md). One line
/// per request, each either
/// - `{"path": "/v1/...", "body": {...}, "headers": {"x-bf-cache-key": "k"}, "method": "POST"}`
///   (`path` defaults to `/v1/chat/completions`, `method` to POST, `headers` to none),
/// - a plain request body `{"model": ..., "messages": [...]}` (path from its shape: `messages` →
///   chat completions, `prompt` → completions, `input` → embeddings when the model's name says
///   "embed", else responses),
/// - or any other text: a prompt, sent as a one-message chat completion to `defaultModel`.
/// Blank lines and lines starting with `#` are skipped.
struct ReplayTrace {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [(String, String)]
        var body: [UInt8]
    }

    var requests: [Request]

    static func read(path: String, defaultModel: String) throws -> ReplayTrace {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        var requests: [Request] = []
        for (number, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                requests.append(try parse(line, defaultModel: defaultModel))
            } catch let error as ValidationError {
                throw ValidationError("\(path):\(number + 1): \(error.message)")
            }
        }
        guard !requests.isEmpty else { throw ValidationError("\(path) holds no requests") }
        return ReplayTrace(requests: requests)
    }

    static func parse(_ line: String, defaultModel: String) throws -> Request {
        guard line.hasPrefix("{"), let value = try? JSONParser.parse(line), case .object = value else {
            let body = JSONValue.object([
                ("model", .string(defaultModel)),
                ("messages", .array([.object([("role", .string("user")), ("content", .string(line))])])),
            ])
            return Request(method: "POST", path: "/v1/chat/completions", headers: [], body: Array(CanonicalJSON.string(body).utf8))
        }
        if let body = value["body"] {
            guard case .object = body else { throw ValidationError("\"body\" must be a JSON object") }
            var headers: [(String, String)] = []
            if let members = value["headers"]?.objectMembers {
                for (name, header) in members {
                    guard let text = header.stringValue else { throw ValidationError("header \(name) must be a string") }
                    headers.append((name, text))
                }
            }
            let path = value["path"]?.stringValue ?? "/v1/chat/completions"
            guard path.hasPrefix("/") else { throw ValidationError("\"path\" must start with /") }
            return Request(
                method: value["method"]?.stringValue?.uppercased() ?? "POST", path: path, headers: headers,
                body: Array(CanonicalJSON.string(body).utf8))
        }
        return Request(method: "POST", path: inferredPath(value), headers: [], body: Array(CanonicalJSON.string(value).utf8))
    }

    static func inferredPath(_ body: JSONValue) -> String {
        if body["messages"] != nil { return "/v1/chat/completions" }
        if body["prompt"] != nil { return "/v1/completions" }
        if body["input"] != nil {
            return (body["model"]?.stringValue ?? "").lowercased().contains("embed") ? "/v1/embeddings" : "/v1/responses"
        }
        return "/v1/chat/completions"
    }
}
