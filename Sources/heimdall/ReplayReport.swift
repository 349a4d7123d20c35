import Foundation
import HeimdallCore

/// What one replayed request got back.
struct ReplayResult: Sendable {
    var index: Int
    var path: String
    var status: Int
    /// `hit-direct`, `hit-semantic`, `miss`, `bypass`, or `failed` when no response came back.
    var outcome: String
    var latency: Duration
    var cacheDebug: JSONValue?
    var promptTokens = 0
    var completionTokens = 0
    var failure: String?

    init(index: Int, path: String, status: Int, header: String?, body: [UInt8], latency: Duration) {
        self.index = index
        self.path = path
        self.status = status
        self.latency = latency
        let json = try? JSONParser.parse(body)
        cacheDebug = json?["extra_fields"]?["cache_debug"]
        // The header is Heimdall's own word; cache_debug is what a Bifrost target says.
        if let header {
            outcome = header
        } else if let debug = cacheDebug {
            outcome = debug["cache_hit"]?.boolValue == true ? "hit-\(debug["hit_type"]?.stringValue ?? "direct")" : "miss"
        } else {
            outcome = "bypass"
        }
        let usage = json?["usage"]
        promptTokens = Self.int(usage?["prompt_tokens"] ?? usage?["input_tokens"])
        completionTokens = Self.int(usage?["completion_tokens"] ?? usage?["output_tokens"])
    }

    init(index: Int, path: String, failure: String, latency: Duration) {
        self.index = index
        self.path = path
        self.status = 0
        self.outcome = "failed"
        self.latency = latency
        self.failure = failure
    }

    var isHit: Bool { outcome.hasPrefix("hit") }
    var milliseconds: Double { Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15 }

    static func int(_ value: JSONValue?) -> Int {
        value?.doubleValue.map { Int($0) } ?? 0
    }

    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("index", .number("\(index)")), ("path", .string(path)), ("status", .number("\(status)")),
            ("outcome", .string(outcome)), ("latency_ms", .number(ReplayReport.number(milliseconds))),
        ]
        if let cacheDebug { members.append(("cache_debug", cacheDebug)) }
        if let failure { members.append(("error", .string(failure))) }
        return .object(members)
    }
}

/// `bench replay`'s summary: outcomes by type, hit rate, latency percentiles, savings.
struct ReplayReport {
    let results: [ReplayResult]
    let target: String
    let concurrency: Int
    let wall: Duration

    static let outcomes = ["hit-direct", "hit-semantic", "miss", "bypass", "failed"]

    func count(_ outcome: String) -> Int { results.filter { $0.outcome == outcome }.count }
    var hits: [ReplayResult] { results.filter(\.isHit) }
    var misses: [ReplayResult] { results.filter { $0.outcome == "miss" } }
    /// Hits over hits plus misses, as `/stats` computes it: bypassed requests never looked up.
    var hitRate: Double { hits.count + misses.count == 0 ? 0 : Double(hits.count) / Double(hits.count + misses.count) }
    var httpErrors: Int { results.filter { $0.status >= 400 }.count }
    var promptTokensSaved: Int { hits.reduce(0) { $0 + $1.promptTokens } }
    var completionTokensSaved: Int { hits.reduce(0) { $0 + $1.completionTokens } }
    var wallSeconds: Double { Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18 }

    /// Nearest-rank percentile of `results`' latencies in milliseconds.
    static func percentile(_ p: Double, of results: [ReplayResult]) -> Double {
        let sorted = results.map(\.milliseconds).sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func number(_ value: Double) -> String { String(format: "%.3f", value) }

    func latency(_ group: [ReplayResult]) -> JSONValue {
        .object([
            ("count", .number("\(group.count)")), ("p50", .number(Self.number(Self.percentile(50, of: group)))),
            ("p90", .number(Self.number(Self.percentile(90, of: group)))), ("p99", .number(Self.number(Self.percentile(99, of: group)))),
        ])
    }

    func json(perRequest: Bool) -> String {
        var members: [(key: String, value: JSONValue)] = [
            ("target", .string(target)), ("requests", .number("\(results.count)")), ("concurrency", .number("\(concurrency)")),
            ("wall_seconds", .number(Self.number(wallSeconds))),
            ("requests_per_second", .number(Self.number(wallSeconds > 0 ? Double(results.count) / wallSeconds : 0))),
            (
                "outcomes",
                .object(Self.outcomes.map { ($0.replacingOccurrences(of: "-", with: "_"), .number("\(count($0))")) })
            ),
            ("http_errors", .number("\(httpErrors)")),
            ("hit_rate", .number(Self.number(hitRate))),
            (
                "latency_ms",
                .object([("hit", latency(hits)), ("miss", latency(misses)), ("all", latency(results))])
            ),
            ("upstream_calls_saved", .number("\(hits.count)")),
            (
                "tokens_saved",
                .object([
                    ("prompt", .number("\(promptTokensSaved)")), ("completion", .number("\(completionTokensSaved)")),
                    ("total", .number("\(promptTokensSaved + completionTokensSaved)")),
                ])
            ),
        ]
        if perRequest { members.append(("per_request", .array(results.map(\.json)))) }
        return CanonicalJSON.string(.object(members))
    }

    func table() -> String {
        var lines = [
            String(
                format: "%d requests to %@ in %.2fs (%.1f req/s, concurrency %d)", results.count, target, wallSeconds,
                wallSeconds > 0 ? Double(results.count) / wallSeconds : 0, concurrency),
            String(
                format: "hit rate %.1f%%  (direct %d, semantic %d, miss %d, bypass %d, failed %d; HTTP errors %d)", hitRate * 100,
                count("hit-direct"), count("hit-semantic"), count("miss"), count("bypass"), count("failed"), httpErrors),
            "latency ms        count       p50       p90       p99",
        ]
        for (name, group) in [("hits", hits), ("misses", misses), ("all", results)] {
            lines.append(
                String(
                    format: "%@%10d%10.3f%10.3f%10.3f", name.padding(toLength: 12, withPad: " ", startingAt: 0), group.count,
                    Self.percentile(50, of: group), Self.percentile(90, of: group), Self.percentile(99, of: group)))
        }
        lines.append(
            "saved: \(hits.count) upstream calls, \(promptTokensSaved + completionTokensSaved) tokens (\(promptTokensSaved) prompt, \(completionTokensSaved) completion)"
        )
        return lines.joined(separator: "\n")
    }
}
