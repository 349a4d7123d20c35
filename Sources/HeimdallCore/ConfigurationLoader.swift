/// Builds a `HeimdallConfiguration` from its sources, highest first:
/// command line > environment (`HEIMDALL_<KEY>`) > config file > defaults.
/// Unknown keys and bad values are errors naming the key and where it came from;
/// nothing is silently ignored.
public struct ConfigurationLoader {
    /// Where a value came from, for error messages.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case file(String), environment(String), commandLine(String)

        public var description: String {
            switch self {
            case .file(let path): return "config file \(path)"
            case .environment(let name): return "environment variable \(name)"
            case .commandLine(let flag): return "command-line option \(flag)"
            }
        }
    }

    public init() {}

    /// - Parameters:
    ///   - fileContents: the config file's bytes and path, if one is in use.
    ///   - environment: the process environment; only `HEIMDALL_*` names are read.
    ///   - commandLine: values given as flags, keyed by config key (`listen`, `db`, …).
    public func load(
        file: (path: String, contents: [UInt8])?, environment: [String: String], commandLine: [String: String]
    ) throws(ConfigurationError) -> HeimdallConfiguration {
        var configuration = HeimdallConfiguration()
        let known = Set(HeimdallConfiguration.keys.map(\.name))
        if let file {
            let document: JSONValue
            do {
                document = try JSONParser.parse(file.contents)
            } catch {
                throw ConfigurationError("config file \(file.path) is not valid JSON: \(error)")
            }
            guard let members = document.uniqueMembers else {
                throw ConfigurationError("config file \(file.path) must hold a JSON object of settings")
            }
            for (key, value) in members {
                guard known.contains(key) else {
                    throw ConfigurationError(
                        "unknown key \"\(key)\" in config file \(file.path); known keys: \(known.sorted().joined(separator: ", "))")
                }
                try apply(key: key, value: value, source: .file(file.path), to: &configuration)
            }
        }
        for key in HeimdallConfiguration.keys.map(\.name) {
            let variable = "HEIMDALL_" + key.uppercased()
            if let text = environment[variable] {
                try apply(key: key, value: .string(text), source: .environment(variable), to: &configuration)
            }
        }
        for (key, text) in commandLine.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else { throw ConfigurationError("unknown setting \"\(key)\"") }
            try apply(key: key, value: .string(text), source: .commandLine("--" + key), to: &configuration)
        }
        return configuration
    }

    func apply(key: String, value: JSONValue, source: Source, to c: inout HeimdallConfiguration) throws(ConfigurationError) {
        func bad(_ expected: String) -> ConfigurationError {
            ConfigurationError("invalid value for \"\(key)\" from \(source): expected \(expected), got \(Self.describe(value))")
        }
        switch key {
        case "listen", "admin":
            guard let text = value.stringValue, let address = HostAndPort(text) else { throw bad("host:port") }
            if key == "listen" { c.listen = address } else { c.admin = address }
        case "upstream":
            guard let text = value.stringValue, text.hasPrefix("http://") || text.hasPrefix("https://"),
                text.count > "https://".count
            else { throw bad("an http:// or https:// URL") }
            c.upstream = text.hasSuffix("/") ? String(text.dropLast()) : text
        case "admin_token":
            // Never echo the value: it is a secret even when malformed.
            guard let text = value.stringValue else {
                throw ConfigurationError("invalid value for \"admin_token\" from \(source): expected a string")
            }
            guard text.isEmpty || AdminToken(text) != nil else {
                throw ConfigurationError(
                    "invalid value for \"admin_token\" from \(source): expected printable ASCII without spaces (value not shown)")
            }
            c.adminToken = AdminToken(text)
        case "db":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("a file path") }
            c.db = text
        case "default_cache_key":
            guard let text = value.stringValue else { throw bad("a string") }
            c.defaultCacheKey = text
        case "log_level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard let text = value.stringValue, levels.contains(text) else { throw bad(levels.joined(separator: "|")) }
            c.logLevel = text
        case "cache_by_model", "cache_by_provider", "share_across_tenants", "exclude_system_prompt", "cache_videos", "write_behind":
            guard let flag = Self.bool(value) else { throw bad("true or false") }
            switch key {
            case "cache_by_model": c.cacheByModel = flag
            case "cache_by_provider": c.cacheByProvider = flag
            case "exclude_system_prompt": c.excludeSystemPrompt = flag
            case "cache_videos": c.cacheVideos = flag
            case "write_behind": c.writeBehind = flag
            default: c.shareAcrossTenants = flag
            }
        case "embedder", "embedder_fallback", "vector_precision", "embedding_precision", "vector_index":
            let choices: [String] =
                switch key {
                case "embedder": ["local", "upstream", "hashed", "none"]
                case "embedder_fallback": ["fail", "direct-only"]
                case "embedding_precision": ["f32", "f16"]
                case "vector_index": ["flat", "ivf"]
                default: ["f32", "f16", "int8"]
                }
            guard let text = value.stringValue, choices.contains(text) else { throw bad(choices.joined(separator: "|")) }
            switch key {
            case "embedder": c.embedder = text
            case "embedder_fallback": c.embedderFallback = text
            case "embedding_precision": c.embeddingPrecision = text
            case "vector_index": c.vectorIndex = text
            default: c.vectorPrecision = text
            }
        case "ivf_nprobe":
            guard let n = Self.int(value), n >= 0 else { throw bad("a non-negative integer (0 = every list that can hold a match)") }
            c.ivfNprobe = n
        case "hit_guard":
            guard let text = value.stringValue, let parsed = HitQualityGuard(text) else {
                throw bad("none, all, or a comma-separated list of numbers, negation, antonyms, entities, verifier")
            }
            c.hitGuard = parsed
        case "embedding_model":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("a model name") }
            c.embeddingModel = text
        case "model_dir":
            guard let text = value.stringValue else { throw bad("a directory path") }
            c.modelDir = text
        case "threshold":
            guard let number = Self.double(value), (0...1).contains(number) else { throw bad("a number from 0 to 1") }
            c.threshold = number
        case "conversation_history_threshold":
            guard let n = Self.int(value), n >= 0 else { throw bad("a non-negative integer") }
            c.conversationHistoryThreshold = n
        case "ttl", "upstream_connect_timeout", "upstream_timeout", "sweep_interval":
            // Ten years at most: timeouts become integer milliseconds, which a larger value would overflow.
            guard let seconds = Self.seconds(value), seconds > 0, seconds <= 315_360_000 else {
                throw bad("a positive duration up to ten years (\"30s\", \"5m\") or seconds")
            }
            switch key {
            case "ttl": c.ttlSeconds = seconds
            case "upstream_connect_timeout": c.upstreamConnectTimeoutSeconds = seconds
            case "upstream_timeout": c.upstreamTimeoutSeconds = seconds
            default: c.sweepIntervalSeconds = seconds
            }
        case "max_request_body_bytes", "max_response_bytes":
            guard let n = Self.int(value), n > 0 else { throw bad("a positive number of bytes") }
            if key == "max_request_body_bytes" { c.maxRequestBodyBytes = n } else { c.maxResponseBytes = n }
        case "max_entries", "max_db_bytes":
            guard let n = Self.int(value), n >= 0 else { throw bad("a non-negative integer (0 = no limit)") }
            if key == "max_entries" { c.maxEntries = n } else { c.maxDbBytes = n }
        case "compression_level":
            guard let n = Self.int(value), (1...9).contains(n) else { throw bad("an integer from 1 to 9") }
            c.compressionLevel = n
        default:
            throw ConfigurationError("unknown setting \"\(key)\" from \(source)")
        }
    }

    static func bool(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .string("true"), .string("1"): return true
        case .string("false"), .string("0"): return false
        default: return nil
        }
    }

    static func int(_ value: JSONValue) -> Int? {
        switch value {
        case .number(let n), .string(let n): return Int(n)
        default: return nil
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n), .string(let n): return Double(n).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    static func seconds(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return Double(n)
        case .string(let s): return GoDuration.seconds(s)
        default: return nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        default: return CanonicalJSON.string(value)
        }
    }
}

/// A configuration problem found at start-up, with a message that names the key and its source.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
