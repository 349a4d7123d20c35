import ArgumentParser
import Foundation
import HeimdallCore

/// The `{"a", "b", "duplicate"}` JSONL format of `bench hitrate`.
enum LabelledPairs {
    struct Pair: Sendable {
        var a: String
        var b: String
        var duplicate: Bool
    }

    static func read(path: String, limit: Int?) throws -> [Pair] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        var pairs: [Pair] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            if let limit, pairs.count >= limit { break }
            if line.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(String(line))
            } catch {
                throw ValidationError("\(path):\(number + 1): not valid JSON: \(error)")
            }
            guard let a = value["a"]?.stringValue, let b = value["b"]?.stringValue, let duplicate = value["duplicate"]?.boolValue else {
                throw ValidationError("\(path):\(number + 1): expected {\"a\": string, \"b\": string, \"duplicate\": bool}")
            }
            pairs.append(Pair(a: a, b: b, duplicate: duplicate))
        }
        guard !pairs.isEmpty else { throw ValidationError("\(path) holds no pairs") }
        return pairs
    }
}
