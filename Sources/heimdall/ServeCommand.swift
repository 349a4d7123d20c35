import ArgumentParser
import Foundation
import HeimdallProxy

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the proxy and admin listeners until SIGINT/SIGTERM.",
        discussion: """
            On SIGINT or SIGTERM Heimdall stops accepting connections, lets in-flight requests
            finish, and checkpoints the database before exiting.
            """)

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.load()
        let logger = LogSetup.logger(level: configuration.logLevel.rawValue)
        VectorISASetting.apply(configuration.vectorISA)
        let server: HeimdallServer
        do {
            server = try HeimdallServer(configuration: configuration, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
        try await server.run(gracefulShutdownSignals: [.sigterm, .sigint]) { bound in
            logger.info(
                "heimdall listening",
                metadata: [
                    "proxy": "http://\(bound.proxy)", "admin": "http://\(bound.admin)",
                    "upstream": "\(configuration.upstream)", "db": "\(configuration.db)",
                ])
        }
    }
}
