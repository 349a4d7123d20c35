/// One setting a config file, `HEIMDALL_*` variable or flag may set: its name, what it means, and
/// how a value is read into a `HeimdallConfiguration`. `HeimdallConfiguration.keys` is the one
/// table of them; the loader, `config/README.md` and `config/heimdall.json` follow it (a test
/// keeps the three in step).
public struct ConfigurationKey: Sendable {
    public let name: String
    public let meaning: String
    /// A secret's value is never repeated in an error message.
    let isSecret: Bool
    /// Reads `value` into the configuration; returns what was expected when it cannot.
    let read: @Sendable (JSONValue, inout HeimdallConfiguration) -> String?

    init(
        _ name: String, _ meaning: String, secret: Bool = false,
        read: @escaping @Sendable (JSONValue, inout HeimdallConfiguration) -> String?
    ) {
        self.name = name
        self.meaning = meaning
        self.isSecret = secret
        self.read = read
    }

    /// A word from `Choice`'s cases.
    static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ meaning: String, _ set: @escaping @Sendable (inout HeimdallConfiguration, Choice) -> Void
    ) -> ConfigurationKey where Choice.RawValue == String {
        ConfigurationKey(name, meaning) { value, c in
            guard let text = value.stringValue, let choice = Choice(rawValue: text) else {
                return Choice.allCases.map(\.rawValue).joined(separator: "|")
            }
            set(&c, choice)
            return nil
        }
    }

    /// `true` or `false` (also `"true"`, `"1"`, `"false"`, `"0"` from the environment).
    static func flag(
        _ name: String, _ meaning: String, _ set: @escaping @Sendable (inout HeimdallConfiguration, Bool) -> Void
    ) -> ConfigurationKey {
        ConfigurationKey(name, meaning) { value, c in
            guard let flag = ConfigurationLoader.bool(value) else { return "true or false" }
            set(&c, flag)
            return nil
        }
    }

    /// An integer in `range`.
    static func integer(
        _ name: String, _ meaning: String, in range: ClosedRange<Int>, expected: String,
        _ set: @escaping @Sendable (inout HeimdallConfiguration, Int) -> Void
    ) -> ConfigurationKey {
        ConfigurationKey(name, meaning) { value, c in
            guard let n = ConfigurationLoader.int(value), range.contains(n) else { return expected }
            set(&c, n)
            return nil
        }
    }

    /// A duration: Go syntax (`"30s"`, `"5m"`) or seconds, positive, up to ten years (timeouts
    /// become integer milliseconds, which a larger value would overflow).
    static func duration(
        _ name: String, _ meaning: String, _ set: @escaping @Sendable (inout HeimdallConfiguration, Double) -> Void
    ) -> ConfigurationKey {
        ConfigurationKey(name, meaning) { value, c in
            guard let seconds = ConfigurationLoader.seconds(value), seconds > 0, seconds <= 315_360_000 else {
                return "a positive duration up to ten years (\"30s\", \"5m\") or seconds"
            }
            set(&c, seconds)
            return nil
        }
    }

    /// A listener address, `host:port`.
    static func address(
        _ name: String, _ meaning: String, _ set: @escaping @Sendable (inout HeimdallConfiguration, HostAndPort) -> Void
    ) -> ConfigurationKey {
        ConfigurationKey(name, meaning) { value, c in
            guard let text = value.stringValue, let address = HostAndPort(text) else { return "host:port" }
            set(&c, address)
            return nil
        }
    }

    /// A string, non-empty unless `allowEmpty`.
    static func text(
        _ name: String, _ meaning: String, allowEmpty: Bool, expected: String,
        _ set: @escaping @Sendable (inout HeimdallConfiguration, String) -> Void
    ) -> ConfigurationKey {
        ConfigurationKey(name, meaning) { value, c in
            guard let text = value.stringValue, allowEmpty || !text.isEmpty else { return expected }
            set(&c, text)
            return nil
        }
    }
}

extension HeimdallConfiguration {
    /// Every setting, in the order config/README.md and config/heimdall.json list them.
    public static let keys: [ConfigurationKey] = [
        .address("listen", "proxy listener host:port") { $0.listen = $1 },
        .address("admin", "admin listener host:port") { $0.admin = $1 },
        ConfigurationKey(
            "admin_token", "bearer token every admin call must send; \"\" = none (admin on loopback only)", secret: true
        ) { value, c in
            guard let text = value.stringValue else { return "a string" }
            guard text.isEmpty || AdminToken(text) != nil else { return "printable ASCII without spaces" }
            c.adminToken = AdminToken(text)
            return nil
        },
        ConfigurationKey("upstream", "base URL of Bifrost or any OpenAI-compatible API") { value, c in
            guard let text = value.stringValue, text.hasPrefix("http://") || text.hasPrefix("https://"),
                text.count > "https://".count
            else { return "an http:// or https:// URL" }
            c.upstream = text.hasSuffix("/") ? String(text.dropLast()) : text
            return nil
        },
        .text("db", "path of the SQLite cache database", allowEmpty: false, expected: "a file path") { $0.db = $1 },
        .text(
            "default_cache_key", "cache namespace for requests without x-bf-cache-key; \"\" requires the header",
            allowEmpty: true, expected: "a string"
        ) { $0.defaultCacheKey = $1 },
        .duration("ttl", "default entry lifetime: Go duration (\"5m\") or seconds") { $0.ttlSeconds = $1 },
        .flag("cache_by_model", "partition entries by model") { $0.cacheByModel = $1 },
        .flag("cache_by_provider", "partition entries by provider") { $0.cacheByProvider = $1 },
        .flag("share_across_tenants", "serve one caller's entries to callers with other credentials") {
            $0.shareAcrossTenants = $1
        },
        .flag(
            "write_behind", "answer misses before their entry is committed (a crash may lose the last 10 ms of entries)"
        ) { $0.writeBehind = $1 },
        .flag("cache_videos", "deduplicate identical video create/remix requests without needing x-bf-cache-key") {
            $0.cacheVideos = $1
        },
        .integer(
            "max_request_body_bytes", "largest request body accepted", in: 1...Int.max, expected: "a positive number of bytes"
        ) { $0.maxRequestBodyBytes = $1 },
        .integer(
            "max_response_bytes", "largest response stored (larger ones are relayed, not cached)", in: 1...Int.max,
            expected: "a positive number of bytes"
        ) { $0.maxResponseBytes = $1 },
        .integer(
            "max_entries", "most entries kept before least-recently-used eviction; 0 = no limit", in: 0...Int.max,
            expected: "a non-negative integer (0 = no limit)"
        ) { $0.maxEntries = $1 },
        .integer(
            "max_db_bytes", "most database bytes before least-recently-used eviction; 0 = no limit", in: 0...Int.max,
            expected: "a non-negative integer (0 = no limit)"
        ) { $0.maxDbBytes = $1 },
        .duration("upstream_connect_timeout", "time allowed to connect to the upstream") {
            $0.upstreamConnectTimeoutSeconds = $1
        },
        .duration("upstream_timeout", "longest silence allowed while reading the upstream's response") {
            $0.upstreamTimeoutSeconds = $1
        },
        .duration("sweep_interval", "how often expired entries are deleted") { $0.sweepIntervalSeconds = $1 },
        .integer(
            "compression_level", "zlib level for stored bodies, 1-9", in: 1...9, expected: "an integer from 1 to 9"
        ) { $0.compressionLevel = $1 },
        .choice("log_level", "trace, debug, info, notice, warning, error or critical") { $0.logLevel = $1 },
        .choice("embedder", "local, upstream, hashed or none") { $0.embedder = $1 },
        .text("embedding_model", "model the upstream embedder requests", allowEmpty: false, expected: "a model name") {
            $0.embeddingModel = $1
        },
        .choice("embedding_precision", "f32 or f16 weights for the local embedding model") { $0.embeddingPrecision = $1 },
        .text("model_dir", "directory of the local embedding model", allowEmpty: true, expected: "a directory path") {
            $0.modelDir = $1
        },
        .choice("embedder_fallback", "fail or direct-only when the embedder cannot start") { $0.embedderFallback = $1 },
        ConfigurationKey("threshold", "minimum cosine similarity for a semantic hit, 0-1") { value, c in
            guard let number = ConfigurationLoader.double(value), (0...1).contains(number) else { return "a number from 0 to 1" }
            c.threshold = number
            return nil
        },
        .integer(
            "conversation_history_threshold", "requests with more messages skip semantic lookup", in: 0...Int.max,
            expected: "a non-negative integer"
        ) { $0.conversationHistoryThreshold = $1 },
        .flag("exclude_system_prompt", "leave system messages out of the embedded text") { $0.excludeSystemPrompt = $1 },
        .choice("vector_precision", "f32, f16 or int8 scan copy") { $0.vectorPrecision = $1 },
        .choice("vector_index", "flat or ivf (k-means lists for partitions of 20,000 entries or more)") { $0.vectorIndex = $1 },
        .integer(
            "ivf_nprobe", "with ivf, most lists a lookup scans; 0 = all that can hold a match (exact)", in: 0...Int.max,
            expected: "a non-negative integer (0 = every list that can hold a match)"
        ) { $0.ivfNprobe = $1 },
        ConfigurationKey(
            "hit_guard", "checks that can veto a semantic hit: none, all, or numbers,negation,antonyms,entities,verifier"
        ) { value, c in
            guard let text = value.stringValue, let parsed = HitQualityGuard(text) else {
                return "none, all, or a comma-separated list of numbers, negation, antonyms, entities, verifier"
            }
            c.hitGuard = parsed
            return nil
        },
        .flag("fast_path", "answer direct hits held in memory on the event loop, before Hummingbird") { $0.fastPath = $1 },
        .flag("nio_executor", "run Swift concurrency on NIO's event loops (read at process start: HEIMDALL_NIO_EXECUTOR only)") {
            $0.nioExecutor = $1
        },
        .choice("vector_isa", "SIMD path of the vector kernels: auto, avx512, avx2 or scalar") { $0.vectorISA = $1 },
    ]
}
