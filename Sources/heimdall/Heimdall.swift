import ArgumentParser

@main
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
        subcommands: [ServeCommand.self, DemoCommand.self, EmbedCommand.self, BenchCommand.self, MockUpstreamCommand.self]
    )
}

enum HeimdallVersion {
    static let current = "0.1.0"
}
