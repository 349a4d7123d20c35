/// The per-request cache headers, named and interpreted exactly as Bifrost does (docs/behaviour.md §3).
public struct CacheDirectives: Sendable, Equatable {
    /// Which lookups a request asked for with `x-bf-cache-type`.
    public enum LookupKinds: Sendable, Equatable {
        case both, directOnly, semanticOnly
        /// An unrecognised value: Bifrost disables caching for the request.
        case disabled
    }

    public static let keyHeader = "x-bf-cache-key"
    public static let ttlHeader = "x-bf-cache-ttl"
    public static let thresholdHeader = "x-bf-cache-threshold"
    public static let typeHeader = "x-bf-cache-type"
    public static let noStoreHeader = "x-bf-cache-no-store"

    /// The namespace, or nil when neither the header nor a default names one.
    public var cacheKey: String?
    /// TTL in seconds for the entry this request may store; nil means the configured default.
    public var ttlSeconds: Double?
    /// Requested semantic threshold (already clamped to [0, 1]), nil if absent or invalid.
    public var threshold: Double?
    public var lookup: LookupKinds
    public var noStore: Bool

    public init(cacheKey: String?, ttlSeconds: Double? = nil, threshold: Double? = nil, lookup: LookupKinds = .both, noStore: Bool = false)
    {
        self.cacheKey = cacheKey
        self.ttlSeconds = ttlSeconds
        self.threshold = threshold
        self.lookup = lookup
        self.noStore = noStore
    }

    /// Reads the directives. `header` returns the first value of a header name (lowercase).
    public init(header: (String) -> String?, defaultCacheKey: String) {
        if let key = header(Self.keyHeader), !key.isEmpty {
            cacheKey = key
        } else {
            cacheKey = defaultCacheKey.isEmpty ? nil : defaultCacheKey
        }
        if let ttl = header(Self.ttlHeader).flatMap(GoDuration.seconds), ttl > 0 {
            ttlSeconds = ttl
        } else {
            ttlSeconds = nil
        }
        if let raw = header(Self.thresholdHeader), let value = Double(raw.trimmingASCIIWhitespace()), value.isFinite {
            threshold = min(max(value, 0), 1)
        } else {
            threshold = nil
        }
        switch header(Self.typeHeader) {
        case nil: lookup = .both
        case "direct": lookup = .directOnly
        case "semantic": lookup = .semanticOnly
        default: lookup = .disabled
        }
        noStore = header(Self.noStoreHeader) == "true"
    }

    /// True when this request takes part in caching at all.
    public var isCaching: Bool { cacheKey != nil && lookup != .disabled }
}
