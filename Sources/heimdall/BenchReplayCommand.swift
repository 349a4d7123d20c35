import ArgumentParser
import AsyncHTTPClient
import Foundation
import HeimdallCore
import NIOCore

struct BenchReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a request trace against a running proxy and report its hit rate and latency.",
        discussion: """
            Sends every request of --trace to --target (a running Heimdall's proxy listener), N at a
            time, and reports the outcomes by type (from each response's x-heimdall-cache header,
            else its cache_debug), the hit rate, p50/p90/p99 latency of hits and misses, and the
            upstream calls and tokens (the cached answers' usage) the hits saved.
            The trace is JSON Lines, one request per line: {"path": ..., "body": {...}, "headers":
            {...}}, or a plain request body, or a plain prompt (sent as a chat completion to --model).
            Format and a sample: docs/replay.md, docs/sample-trace.jsonl.
            Example: heimdall bench replay --trace docs/sample-trace.jsonl --target http://127.0.0.1:8088
            """)

    @Option(help: "Trace file: JSON Lines of requests, or plain prompts one per line.")
    var trace: String

    @Option(help: "Base URL of the proxy to replay against.")
    var target: String

    @Option(help: "Requests in flight at once.")
    var concurrency = 1

    @Option(help: "Model for plain-prompt lines.")
    var model = "openai/gpt-4o-mini"

    @Option(name: .customLong("header"), help: "Extra header for every request, \"Name: value\" (repeatable), e.g. authorization.")
    var headers: [String] = []

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(
        name: .customLong("per-request"),
        help: "Also report each request's outcome, status, latency and cache_debug (in the JSON, or as JSON Lines after the table).")
    var perRequest = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard target.hasPrefix("http://") || target.hasPrefix("https://") else {
            throw ValidationError("--target must be an http:// or https:// URL")
        }
        for header in headers where !header.contains(":") { throw ValidationError("--header \"\(header)\" is not \"Name: value\"") }
    }

    func run() async throws {
        let trace = try ReplayTrace.read(path: trace, defaultModel: model)
        let extra = headers.map { header -> (String, String) in
            let colon = header.firstIndex(of: ":")!
            return (
                String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            )
        }
        var base = target
        while base.hasSuffix("/") { base.removeLast() }
        let progress = ProgressBar(total: trace.requests.count, quiet: quiet)
        let started = ContinuousClock.now
        let results = try await Self.replay(trace.requests, base: base, extraHeaders: extra, concurrency: concurrency, progress: progress)
        progress.finish()
        let report = ReplayReport(results: results, target: base, concurrency: concurrency, wall: ContinuousClock.now - started)
        if json {
            print(report.json(perRequest: perRequest))
        } else {
            print(report.table())
            if perRequest { for result in results { print(CanonicalJSON.string(result.json)) } }
        }
    }

    /// Sends the requests `concurrency` at a time; results come back in trace order.
    static func replay(
        _ requests: [ReplayTrace.Request], base: String, extraHeaders: [(String, String)], concurrency: Int, progress: ProgressBar
    ) async throws -> [ReplayResult] {
        try await withThrowingTaskGroup(of: ReplayResult.self) { group in
            var results = [ReplayResult?](repeating: nil, count: requests.count)
            var next = 0
            func launch() {
                guard next < requests.count else { return }
                let index = next
                next += 1
                group.addTask { await send(requests[index], index: index, base: base, extraHeaders: extraHeaders) }
            }
            for _ in 0..<min(concurrency, requests.count) { launch() }
            while let result = try await group.next() {
                results[result.index] = result
                progress.advance()
                launch()
            }
            return results.compactMap { $0 }
        }
    }

    static func send(_ trace: ReplayTrace.Request, index: Int, base: String, extraHeaders: [(String, String)]) async -> ReplayResult {
        var request = HTTPClientRequest(url: base + trace.path)
        request.method = .init(rawValue: trace.method)
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in trace.headers + extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        if trace.method != "GET" { request.body = .bytes(ByteBuffer(bytes: trace.body)) }
        let started = ContinuousClock.now
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
            let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
            return ReplayResult(
                index: index, path: trace.path, status: Int(response.status.code), header: response.headers.first(name: "x-heimdall-cache"),
                body: Array(body.readableBytesView), latency: ContinuousClock.now - started)
        } catch {
            return ReplayResult(index: index, path: trace.path, failure: "\(error)", latency: ContinuousClock.now - started)
        }
    }
}
