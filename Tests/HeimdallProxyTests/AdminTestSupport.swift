import Foundation
import HeimdallCore
import HeimdallProxy
import NIOHTTP1

/// Admin-listener helpers for the ops tests.
extension ProxyHarness {
    func admin(_ target: String, method: HTTPMethod = .GET, token: String? = nil) async throws -> TestResponse {
        try await send(target, method: method, headers: token.map { [("authorization", "Bearer \($0)")] } ?? [], base: adminURL)
    }

    func stats(token: String? = nil) async throws -> StatsSnapshot {
        let response = try await admin("/stats", token: token)
        guard response.status == 200 else { throw AdminTestError("GET /stats answered \(response.status): \(response.text)") }
        return try StatsSnapshot.decode(Data(response.body))
    }
}

struct AdminTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a client can tell about a response, in `/stats` outcome names: the header, except that
/// Heimdall's own errors (its error codes and types) count as `error`.
func observedOutcome(_ response: TestResponse) -> RequestOutcome {
    let error = response.json?["error"]
    let proxyErrorCodes: Set<String> = ["invalid_json", "request_too_large"]
    let proxyErrorTypes: Set<String> = ["upstream_unavailable", "upstream_timeout"]
    if response.outcome == "bypass", response.status >= 400,
        proxyErrorCodes.contains(error?["code"]?.stringValue ?? "") || proxyErrorTypes.contains(error?["type"]?.stringValue ?? "")
    {
        return .error
    }
    switch response.outcome {
    case "hit-direct": return .hitDirect
    case "hit-semantic": return .hitSemantic
    case "miss": return .miss
    default: return .bypass
    }
}

/// A Prometheus text-format (0.0.4) reader, strict enough to reject malformed lines.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw AdminTestError("bad TYPE line: \(line)")
                }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(Substring(line)))
        }
    }

    static func sample(_ line: Substring) throws -> Sample {
        var rest = line
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard let first = name.first, first.isLetter || first == "_" || first == ":",
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        else { throw AdminTestError("bad metric name in: \(line)") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw AdminTestError("bad labels in: \(line)") }
                let label = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw AdminTestError("unquoted label value in: \(line)") }
                rest = rest.dropFirst()
                var value = ""
                while let c = rest.first, c != "\"" {
                    if c == "\\" {
                        rest = rest.dropFirst()
                        switch rest.first {
                        case "n": value.append("\n")
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        default: throw AdminTestError("bad escape in: \(line)")
                        }
                    } else {
                        value.append(c)
                    }
                    rest = rest.dropFirst()
                }
                guard rest.first == "\"" else { throw AdminTestError("unterminated label value in: \(line)") }
                rest = rest.dropFirst()
                labels[label] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count) else { throw AdminTestError("bad sample line: \(line)") }
        let text = String(fields[0])
        guard let value = Double(text) ?? ["+Inf": Double.infinity, "-Inf": -Double.infinity, "NaN": Double.nan][text] else {
            throw AdminTestError("bad value in: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
