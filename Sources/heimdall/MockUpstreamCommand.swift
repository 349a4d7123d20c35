import ArgumentParser
import Foundation
import HeimdallMockUpstream
import UnixSignals

/// The built-in OpenAI-compatible mock upstream on its own, for load tests and manual fault
/// injection (`x-mock-status`, `x-mock-delay-ms`, … headers: see MockUpstream).
struct MockUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-upstream",
        abstract: "Run the built-in OpenAI-compatible mock upstream until SIGINT/SIGTERM.",
        discussion: """
            Answers chat and text completions (JSON and SSE), responses, embeddings, models and
            video jobs with canned, deterministic payloads; everything else is echoed. Request
            headers inject faults: x-mock-status, x-mock-retry-after, x-mock-delay-ms,
            x-mock-chunk-delay-ms, x-mock-drop-after-bytes, x-mock-drop-after-events.
            Prints the bound port on standard output.
            """)

    @Option(help: "host:port to listen on (port 0 = any free port).")
    var listen = "127.0.0.1:0"

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be host:port, got \(listen)")
        }
        let mock = MockUpstream()
        let bound = try await mock.start(host: String(listen[..<colon]), port: port)
        // Unbuffered, so a script reading a pipe sees the port at once.
        FileHandle.standardOutput.write(Data("mock upstream listening on http://\(listen[..<colon]):\(bound)\n".utf8))
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { break }
        await mock.stop()
    }
}
