import Foundation
import HeimdallCore
import HeimdallProxy
import Testing

/// The built `heimdall` executable, next to the test bundle (`swift build` builds it).
enum HeimdallBinary {
    static var url: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heimdall"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/heimdall"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static var available: Bool { url != nil }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `heimdall arguments…` to completion with no HEIMDALL_* variables from the caller.
    static func run(_ arguments: [String]) async throws -> Run {
        guard let executable = Self.url else { throw AdminTestError("no heimdall executable; run swift build") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HEIMDALL_") }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Block a Dispatch thread, never one of the few cooperative threads the in-process server needs.
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let group = DispatchGroup()
                let stdout = OutputBox()
                DispatchQueue.global().async(group: group) { stdout.data = out.fileHandleForReading.readDataToEndOfFile() }
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: Run(
                        status: process.terminationStatus, stdout: String(decoding: stdout.data, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self)))
            }
        }
    }

    /// Written by one reader thread, read after `DispatchGroup.wait()`, which orders the two.
    final class OutputBox: @unchecked Sendable {
        var data = Data()
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

@Suite(.enabled(if: HeimdallBinary.available, "build the heimdall executable first (swift build)"))
struct CLITests {
    @Test func statsPrintsJSONAndATable() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("cli stats")
            _ = try await proxy.chat("cli stats")
            let json = try await HeimdallBinary.run(["stats", "--admin", proxy.adminURL, "--json"])
            #expect(json.status == 0, "\(json.stderr)")
            let snapshot = try StatsSnapshot.decode(Data(json.stdout.utf8))
            #expect(snapshot.requests.miss == 1 && snapshot.requests.hitDirect == 1)

            let table = try await HeimdallBinary.run(["stats", "--admin", String(proxy.adminURL.dropFirst("http://".count))])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("requests 2   hit rate 50.0%"), "\(table.stdout)")
            #expect(table.stdout.contains("hit_direct 1"))
            #expect(table.stdout.contains("store: 1 entries"))
        }
    }

    @Test func statsExplainsAMissingToken() async throws {
        try await ProxyHarness.with(configure: { $0.adminToken = AdminToken("cli-token-123") }) { proxy in
            let denied = try await HeimdallBinary.run(["stats", "--admin", proxy.adminURL])
            #expect(denied.status != 0)
            #expect(denied.stderr.contains("--admin-token"), "\(denied.stderr)")
            let allowed = try await HeimdallBinary.run(["stats", "--admin", proxy.adminURL, "--admin-token", "cli-token-123", "--json"])
            #expect(allowed.status == 0, "\(allowed.stderr)")
        }
    }

    @Test func purgeByIdKeyAndAll() async throws {
        try await ProxyHarness.with { proxy in
            let id = try #require(try await proxy.chat("purge me").cacheDebug?["cache_id"]?.stringValue)
            let byID = try await HeimdallBinary.run(["purge", "--id", id, "--admin", proxy.adminURL])
            #expect(byID.status == 0, "\(byID.stderr)")
            #expect(byID.stdout.contains("deleted 1 entry"))
            #expect(try await proxy.chat("purge me").outcome == "miss")

            _ = try await proxy.chat("keyed", headers: [("x-bf-cache-key", "cli key")])
            let byKey = try await HeimdallBinary.run(["purge", "--key", "cli key", "--admin", proxy.adminURL])
            #expect(byKey.stdout.contains("deleted 1 entry"), "\(byKey.stdout)\(byKey.stderr)")
            #expect(try await proxy.chat("keyed", headers: [("x-bf-cache-key", "cli key")]).outcome == "miss")

            let all = try await HeimdallBinary.run(["purge", "--all", "--admin", proxy.adminURL])
            #expect(all.stdout.contains("deleted 2 entries"), "\(all.stdout)\(all.stderr)")

            let none = try await HeimdallBinary.run(["purge", "--admin", proxy.adminURL])
            #expect(none.status != 0)
            #expect(none.stderr.contains("exactly one of --id ID, --key KEY or --all"))
        }
    }

    @Test func benchReplayReportsTheSampleTrace() async throws {
        try await ProxyHarness.with { proxy in
            let trace = HeimdallBinary.repository.appendingPathComponent("docs/sample-trace.jsonl").path
            let run = try await HeimdallBinary.run([
                "bench", "replay", "--trace", trace, "--target", proxy.proxyURL, "--json", "--per-request", "--quiet",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try JSONParser.parse(run.stdout)
            #expect(report["requests"] == .number("20"))
            #expect(report["outcomes"]?["hit_direct"] == .number("9"))
            #expect(report["outcomes"]?["miss"] == .number("10"))
            #expect(report["outcomes"]?["bypass"] == .number("1"))
            #expect(report["upstream_calls_saved"] == .number("9"))
            #expect((report["tokens_saved"]?["total"]?.doubleValue ?? 0) > 0)
            #expect(report["latency_ms"]?["hit"]?["p99"] != nil)
            let perRequest = try #require(report["per_request"]?.arrayValue)
            #expect(perRequest.count == 20)
            #expect(perRequest[1]["cache_debug"]?["hit_type"] == .string("direct"))

            // The proxy counted what the replay saw.
            let stats = try await proxy.stats()
            #expect(stats.requests.hitDirect == 9 && stats.requests.miss == 10 && stats.requests.bypass == 1)
            #expect(Double(stats.saved.totalTokens) == report["tokens_saved"]?["total"]?.doubleValue)
        }
    }

    @Test func benchReplayAcceptsPlainPrompts() async throws {
        try await ProxyHarness.with { proxy in
            let prompts = HeimdallBinary.repository.appendingPathComponent("docs/sample-prompts.txt").path
            let table = try await HeimdallBinary.run([
                "bench", "replay", "--trace", prompts, "--target", proxy.proxyURL, "--concurrency", "1", "--quiet",
            ])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("6 requests to"), "\(table.stdout)")
            #expect(table.stdout.contains("hit rate 50.0%"), "\(table.stdout)")
        }
    }
}
