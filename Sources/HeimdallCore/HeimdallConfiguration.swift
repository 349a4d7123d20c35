/// Everything `heimdall serve` can be told, with the contract's defaults (docs/behaviour.md §1, §3, §5).
/// A plain value: `ConfigurationLoader` fills it from file, environment and flags.
public struct HeimdallConfiguration: Sendable, Equatable {
    public var listen = HostAndPort(host: "127.0.0.1", port: 8088)
    public var admin = HostAndPort(host: "127.0.0.1", port: 8089)
    /// When set, every admin call needs `Authorization: Bearer <token>` and the admin listener may
    /// bind a non-loopback address; when nil it must stay on loopback.
    public var adminToken: AdminToken?
    public var upstream = "http://127.0.0.1:8080"
    public var db = "./heimdall.sqlite"
    /// Namespace used when a request has no `x-bf-cache-key`; empty requires the header.
    public var defaultCacheKey = "default"
    /// Lifetime of a stored entry unless the request's `x-bf-cache-ttl` says otherwise (Bifrost's default: 5m).
    public var ttlSeconds: Double = 300
    public var cacheByModel = true
    public var cacheByProvider = true
    public var shareAcrossTenants = false
    /// Hand out the original job for an identical video create/remix within TTL (docs/behaviour.md §6);
    /// without it only requests with an explicit `x-bf-cache-key` are deduplicated.
    public var cacheVideos = false
    /// Answer a miss before its entry is committed to SQLite (committed within 10 ms, served from
    /// memory meanwhile): lower miss latency, but a crash can lose the last 10 ms of new entries.
    public var writeBehind = false
    public var maxRequestBodyBytes = 32 * 1024 * 1024
    public var maxResponseBytes = 8 * 1024 * 1024
    /// Most entries kept; past it the least recently used are evicted (0 = no limit). The default
    /// bounds the in-memory vector index too (~2 KB per entry with int8 scan copies).
    public var maxEntries = 100_000
    /// Most database bytes in use; past it the least recently used entries are evicted and their
    /// pages given back to the file system (0 = no limit).
    public var maxDbBytes = 1024 * 1024 * 1024
    public var upstreamConnectTimeoutSeconds: Double = 10
    /// Longest silence allowed while reading from the upstream (not the total time: streams may be long).
    public var upstreamTimeoutSeconds: Double = 600
    /// How often expired entries are deleted in the background.
    public var sweepIntervalSeconds: Double = 60
    /// zlib level for stored bodies (1 fastest … 9 smallest).
    public var compressionLevel = 6
    public var logLevel = LogLevel.info
    /// Where prompt embeddings come from: `local` (in-process MiniLM), `upstream`
    /// (`POST {upstream}/v1/embeddings`), `hashed` (cheap n-gram hashing) or `none` (direct only).
    public var embedder = EmbedderKind.local
    /// Model the `upstream` embedder asks for.
    public var embeddingModel = "openai/text-embedding-3-small"
    /// Element type of the local model's linear weights: `f16` (half the bytes each embedding
    /// streams; same hits on the labelled pairs, docs/hit-quality.md) or `f32` (the checkpoint's).
    public var embeddingPrecision = WeightPrecision.f16
    /// Directory with the local model's files; empty means `$HEIMDALL_MODEL_DIR` or the default cache dir.
    public var modelDir = ""
    /// What to do when the embedder cannot start: `fail` (a start-up error) or `direct-only`.
    public var embedderFallback = EmbedderFallback.fail
    /// Minimum cosine similarity for a semantic hit (calibrated for the local model, docs/hit-quality.md).
    public var threshold = HeimdallConfiguration.defaultThreshold
    /// Requests with more messages than this skip semantic lookup (Bifrost's default: 3).
    public var conversationHistoryThreshold = 3
    public var excludeSystemPrompt = false
    /// Element type the vector scan reads: `f32`, `f16` or `int8` (best candidates re-scored in f32).
    public var vectorPrecision = VectorPrecision.int8
    /// How partitions of at least 20,000 entries are searched: `flat` (scan all) or `ivf` (k-means
    /// lists; only those that can hold a match at the threshold are scanned).
    public var vectorIndex = VectorIndexKind.ivf
    /// With `ivf`: most lists a lookup scans, nearest first; 0 = every list that can hold a match
    /// (exact, but on real embeddings that is ~90% of them). 16 agreed with the flat scan on every
    /// hit/miss decision of 3,675 real queries (docs/benchmarks.md).
    public var ivfNprobe = 16
    /// Checks that can veto a semantic match (docs/hit-quality.md).
    public var hitGuard = HitQualityGuard(checks: [.numbers, .negation, .antonyms])
    /// Answer direct hits held in memory on the event loop, before Hummingbird (off: every request
    /// goes through Hummingbird's responder; for comparisons, docs/benchmarks.md).
    public var fastPath = true
    /// Run Swift concurrency's jobs on NIO's event loops (saves a thread hop per request part).
    /// Read when the process starts, so only `HEIMDALL_NIO_EXECUTOR` can change it.
    public var nioExecutor = true
    /// The vector kernels' SIMD path (`auto`: the best the CPU has).
    public var vectorISA = VectorISA.auto

    public static let defaultThreshold = 0.97

    public init() {}
}

/// A `host:port` listener address.
public struct HostAndPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port` or `:port` (all interfaces).
    public init?(_ text: String) {
        var rest = Substring(text)
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            host = rest[..<colon]
            rest = rest[colon...]
        }
        guard let port = Int(rest.dropFirst()), (0...65535).contains(port) else { return nil }
        self.host = host.isEmpty ? "0.0.0.0" : String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// True for 127.0.0.0/8, ::1 and localhost.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
