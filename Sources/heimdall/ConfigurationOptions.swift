import ArgumentParser
import Foundation
import HeimdallCore
import Logging

/// The flags every long-running command shares, and how they combine with the
/// environment and the config file (docs/behaviour.md §1: flags > environment > file > defaults).
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "Config file (JSON). Default: $HEIMDALL_CONFIG, else config/heimdall.json when present.")
    var config: String?

    @Option(help: "Proxy listener host:port (default 127.0.0.1:8088).")
    var listen: String?

    @Option(help: "Admin listener host:port (default 127.0.0.1:8089).")
    var admin: String?

    @Option(
        name: .customLong("admin-token"),
        help: "Bearer token required on every admin call (default: none, admin on loopback only). Prefer $HEIMDALL_ADMIN_TOKEN.")
    var adminToken: String?

    @Option(help: "Upstream base URL: Bifrost or any OpenAI-compatible API (default http://127.0.0.1:8080).")
    var upstream: String?

    @Option(help: "SQLite database path (default ./heimdall.sqlite).")
    var db: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    var commandLineValues: [String: String] {
        var values: [String: String] = [:]
        values["listen"] = listen
        values["admin"] = admin
        values["admin_token"] = adminToken
        values["upstream"] = upstream
        values["db"] = db
        values["log_level"] = logLevel
        return values
    }

    /// Loads the configuration, or fails with a message naming the key and its source.
    func load(environment: [String: String] = ProcessInfo.processInfo.environment, overrides: [String: String] = [:]) throws
        -> HeimdallConfiguration
    {
        let explicitPath = config ?? environment["HEIMDALL_CONFIG"]
        let path = explicitPath ?? "config/heimdall.json"
        var file: (path: String, contents: [UInt8])?
        if explicitPath != nil || FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read config file \(path)")
            }
            file = (path, Array(data))
        }
        do {
            return try ConfigurationLoader().load(
                file: file, environment: environment, commandLine: commandLineValues.merging(overrides) { flag, _ in flag })
        } catch {
            throw ValidationError(error.description)
        }
    }
}

enum LogSetup {
    /// Logs to stderr at the configured level. Idempotent per process (bootstrap runs once).
    static func logger(level: String, label: String = "heimdall") -> Logger {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}
