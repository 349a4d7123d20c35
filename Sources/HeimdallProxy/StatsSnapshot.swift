import Foundation

/// The `/stats` document (docs/behaviour.md §7; schema in docs/stats.md). Property names become the JSON
/// names in snake_case, so renaming one is a breaking change: docs/stats.md and a test pin them.
/// Counts are exact for what this process served since it started; `store` holds the stored totals.
public struct StatsSnapshot: Codable, Sendable, Equatable {
    public var version: String
    /// Unix time (seconds) this process started serving.
    public var startedAt: Double
    public var uptimeSeconds: Double
    public var requests: OutcomeCounts
    /// (hit_direct + hit_semantic + coalesced) / (those + miss): bypassed and failed requests never looked up.
    public var hitRate: Double
    public var latencyMs: Latencies
    public var similarity: Similarity
    public var saved: Savings
    public var upstream: Upstream
    public var store: Store
    /// Failed store reads and writes since start, and whether writes fail now.
    public var storeHealth: StoreHealth.Snapshot
    public var byCacheKey: [Breakdown]
    public var byModel: [Breakdown]
    public var timeline: Timeline

    public struct OutcomeCounts: Codable, Sendable, Equatable {
        public var total = 0
        public var hitDirect = 0
        public var hitSemantic = 0
        public var miss = 0
        public var bypass = 0
        public var error = 0
        public var coalesced = 0

        public subscript(outcome: RequestOutcome) -> Int {
            get {
                switch outcome {
                case .hitDirect: hitDirect
                case .hitSemantic: hitSemantic
                case .miss: miss
                case .bypass: bypass
                case .error: error
                case .coalesced: coalesced
                }
            }
            set {
                switch outcome {
                case .hitDirect: hitDirect = newValue
                case .hitSemantic: hitSemantic = newValue
                case .miss: miss = newValue
                case .bypass: bypass = newValue
                case .error: error = newValue
                case .coalesced: coalesced = newValue
                }
            }
        }

        public var hits: Int { hitDirect + hitSemantic + coalesced }
        public var hitRate: Double { hits + miss == 0 ? 0 : Double(hits) / Double(hits + miss) }
    }

    /// Milliseconds from the request's arrival to its response head (the whole body for cached
    /// answers and misses, which are buffered), per outcome; `upstream` is a miss's round trip to
    /// the last body byte, `embedding` the prompt embedding of a semantic lookup.
    public struct Latencies: Codable, Sendable, Equatable {
        public var hit: Latency
        public var hitDirect: Latency
        public var hitSemantic: Latency
        public var miss: Latency
        public var bypass: Latency
        public var error: Latency
        public var coalesced: Latency
        public var upstream: Latency
        public var embedding: Latency
    }

    public struct Latency: Codable, Sendable, Equatable {
        public var count: Int
        public var mean: Double
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
    }

    /// Similarities of the semantic hits served; `buckets` are not cumulative (each counts (previous le, le]).
    public struct Similarity: Codable, Sendable, Equatable {
        public var count: Int
        public var mean: Double
        public var min: Double
        public var max: Double
        public var buckets: [Bucket]
    }

    public struct Bucket: Codable, Sendable, Equatable {
        public var le: Double
        public var count: Int
    }

    /// What answering from the cache saved: upstream calls, response bytes and `usage` tokens of the answers served.
    public struct Savings: Codable, Sendable, Equatable {
        public var upstreamCalls = 0
        public var upstreamBytes = 0
        public var promptTokens = 0
        public var completionTokens = 0
        public var totalTokens = 0
    }

    /// Upstream calls made for misses and the body bytes they returned.
    public struct Upstream: Codable, Sendable, Equatable {
        public var calls = 0
        public var bytes = 0
    }

    /// Stored totals (all processes that used this database) and this process's removals.
    public struct Store: Codable, Sendable, Equatable {
        public var entries: Int
        public var databaseBytes: Int
        public var rawBytes: Int
        public var compressedBytes: Int
        /// raw_bytes / compressed_bytes (0 when empty).
        public var compressionRatio: Double
        public var evictions: Int
        public var expirations: Int
    }

    /// Requests of one cache key or model (those that reached a lookup), and its stored entries.
    public struct Breakdown: Codable, Sendable, Equatable {
        public var name: String
        public var requests: OutcomeCounts
        public var hitRate: Double
        public var tokensSaved: Int
        public var entries: Int
    }

    public struct Timeline: Codable, Sendable, Equatable {
        public var intervalSeconds: Double
        public var points: [TimelinePoint]
    }

    /// One interval: `t` is its start (Unix seconds); `lookups` are the requests that count towards the hit rate.
    public struct TimelinePoint: Codable, Sendable, Equatable {
        public var t: Double
        public var requests: Int
        public var lookups: Int
        public var hits: Int
    }

    /// The JSON `/stats` serves: snake_case names, sorted keys, pretty-printed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> StatsSnapshot {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(StatsSnapshot.self, from: data)
    }
}
