import ArgumentParser
import HeimdallCore

struct Heimdall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall",
        abstract: "A caching reverse proxy for LLM traffic in front of Bifrost or any OpenAI-compatible API.",
        discussion: """
            Point your app's base URL at Heimdall. Every request is forwarded upstream; identical
            requests are answered from a zlib-compressed SQLite cache, with Bifrost's
            extra_fields.cache_debug telling what happened.
            """,
        version: HeimdallVersion.current,
        subcommands: [
            ServeCommand.self, DemoCommand.self, StatsCommand.self, PurgeCommand.self, BenchCommand.self, EmbedCommand.self,
            MockUpstreamCommand.self,
        ]
    )
}
