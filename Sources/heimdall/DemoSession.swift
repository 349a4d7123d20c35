import AsyncHTTPClient
import Foundation
import HeimdallCore
import HeimdallMockUpstream
import NIOCore

/// The demo's scripted session: each step is one request through the proxy, printed
/// with its `x-heimdall-cache` outcome, the upstream calls so far and its `cache_debug`.
struct DemoSession {
    let proxy: String
    let mock: MockUpstream

    struct Step {
        var title: String
        var body: String
        var headers: [(String, String)] = []
    }

    static func chat(_ model: String, _ text: String, stream: Bool = false) -> String {
        let escaped = String(decoding: CanonicalJSON.encode(.string(text)), as: UTF8.self)
        return #"{"model":"\#(model)","messages":[{"role":"user","content":\#(escaped)}]\#(stream ? #","stream":true"# : "")}"#
    }

    static let steps: [Step] = [
        Step(title: "first question", body: chat("openai/gpt-4o-mini", "What is the capital of France?")),
        Step(title: "exact repeat", body: chat("openai/gpt-4o-mini", "What is the capital of France?")),
        Step(title: "same words, other case and spaces", body: chat("openai/gpt-4o-mini", "  what is the CAPITAL of France?  ")),
        Step(title: "paraphrase", body: chat("openai/gpt-4o-mini", "What is France's capital?")),
        Step(title: "looser paraphrase (under threshold)", body: chat("openai/gpt-4o-mini", "What is the capital city of France?")),
        Step(title: "unrelated question", body: chat("openai/gpt-4o-mini", "How do I bake sourdough bread?")),
        Step(title: "different model", body: chat("anthropic/claude-3-5-haiku", "What is the capital of France?")),
        Step(
            title: "another namespace (x-bf-cache-key)", body: chat("openai/gpt-4o-mini", "What is the capital of France?"),
            headers: [("x-bf-cache-key", "team-b")]),
        Step(title: "streaming", body: chat("openai/gpt-4o-mini", "Name three rivers in France.", stream: true)),
        Step(title: "streaming repeat (replayed)", body: chat("openai/gpt-4o-mini", "Name three rivers in France.", stream: true)),
    ]

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            for (number, step) in Self.steps.enumerated() {
                var request = HTTPClientRequest(url: proxy + "/v1/chat/completions")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "authorization", value: "Bearer demo-key")
                for (name, value) in step.headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(string: step.body))
                let before = mock.callCount(path: "/v1/chat/completions")
                let started = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
                let elapsed = ContinuousClock.now - started
                let outcome = response.headers.first(name: "x-heimdall-cache") ?? "?"
                let upstreamCalled = mock.callCount(path: "/v1/chat/completions") > before
                let title = "\(number + 1). \(step.title)".padding(toLength: 40, withPad: " ", startingAt: 0)
                print(
                    "\(title) \(outcome.padding(toLength: 12, withPad: " ", startingAt: 0)) upstream called: \(upstreamCalled ? "yes" : "no ")  \(Self.milliseconds(elapsed))"
                )
                print("   cache_debug: \(Self.cacheDebug(in: Array(body.readableBytesView)))")
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        print("\nUpstream calls: \(mock.callCount(path: "/v1/chat/completions")) for \(Self.steps.count) requests.")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%7.2f ms", ms)
    }

    /// The `cache_debug` object of a JSON body, or of the last SSE data event before `[DONE]`.
    static func cacheDebug(in body: [UInt8]) -> String {
        var candidates: [[UInt8]] = [body]
        let text = String(decoding: body, as: UTF8.self)
        if text.hasPrefix("data:") {
            candidates = text.components(separatedBy: "\n").filter { $0.hasPrefix("data: {") }.map { Array($0.dropFirst(6).utf8) }
                .reversed()
        }
        for candidate in candidates {
            if let debug = (try? JSONParser.parse(candidate))?["extra_fields"]?["cache_debug"] {
                return CanonicalJSON.string(debug)
            }
        }
        return "(none)"
    }
}
