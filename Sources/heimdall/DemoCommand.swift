import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallMockUpstream
import HeimdallProxy
import UnixSignals

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Heimdall in front of a built-in mock upstream and show what the cache does.",
        discussion: """
            Starts an OpenAI-compatible mock upstream on a free loopback port, the proxy in front of
            it (on 127.0.0.1:8088 / :8089 when free, else on free ports) with a fresh database,
            sends a short scripted session and prints each answer's cache_debug. Then the proxy
            stays up for you to try with curl or the OpenAI SDK, until Ctrl-C; --once exits instead.
            No Bifrost and no API key needed.
            """)

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Exit after the scripted session instead of leaving the proxy up.")
    var once = false

    func run() async throws {
        let mock = MockUpstream()
        let mockPort = try await mock.start()
        var overrides = ["upstream": "http://127.0.0.1:\(mockPort)"]
        if options.db == nil {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-demo-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            overrides["db"] = directory.appendingPathComponent("heimdall.sqlite").path
        }
        if options.listen == nil { overrides["listen"] = PortProbe.isFree(8088) ? "127.0.0.1:8088" : "127.0.0.1:0" }
        if options.admin == nil { overrides["admin"] = PortProbe.isFree(8089) ? "127.0.0.1:8089" : "127.0.0.1:0" }
        var configuration = try options.load(overrides: overrides)
        configuration.upstream = "http://127.0.0.1:\(mockPort)"  // the demo always talks to its own mock
        let logger = LogSetup.logger(level: options.logLevel ?? "warning")
        let server = try HeimdallServer(configuration: configuration, logger: logger)

        let (ready, readyContinuation) = AsyncStream.makeStream(of: HeimdallServer.BoundAddresses.self)
        let signals: [UnixSignal] = once ? [] : [.sigint, .sigterm]
        let serverTask = Task {
            defer { readyContinuation.finish() }  // a start-up error must not leave the demo waiting
            try await server.run(gracefulShutdownSignals: signals) { bound in
                readyContinuation.yield(bound)
                readyContinuation.finish()
            }
        }
        var bound: HeimdallServer.BoundAddresses?
        for await addresses in ready { bound = addresses }
        guard let bound else {
            await mock.stop()
            try await serverTask.value
            throw ExitCode.failure
        }

        print(
            """
            Heimdall demo
              mock upstream  http://127.0.0.1:\(mockPort)  (built in, OpenAI-compatible; no Bifrost needed)
              proxy          http://\(bound.proxy)
              admin          http://\(bound.admin)/healthz
              database       \(configuration.db)

            """)
        let session = DemoSession(proxy: "http://\(bound.proxy)", mock: mock)
        do {
            try await session.run()
        } catch {
            print("demo session failed: \(error)")
            await server.shutdown()
            _ = try? await serverTask.value
            await mock.stop()
            throw ExitCode.failure
        }

        if once {
            await server.shutdown()
            try await serverTask.value
        } else {
            print(
                """

                The proxy stays up (Ctrl-C to stop). Try it:
                  curl -s http://\(bound.proxy)/v1/chat/completions -H 'content-type: application/json' \\
                    -d '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"What is the capital of France?"}]}'
                  OpenAI SDK: OpenAI(base_url="http://\(bound.proxy)/v1", api_key="demo")
                """)
            try await serverTask.value
        }
        await mock.stop()
    }
}
