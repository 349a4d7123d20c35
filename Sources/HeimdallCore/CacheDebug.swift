/// Bifrost's `extra_fields.cache_debug` object (docs/behaviour.md §4).
public struct CacheDebug: Sendable, Equatable {
    public enum HitType: String, Sendable { case direct, semantic }

    public var cacheHit: Bool
    public var hitType: HitType?
    public var cacheID: String?
    public var requestedProvider: String?
    public var requestedModel: String?
    public var providerUsed: String?
    public var modelUsed: String?
    public var inputTokens: Int?
    public var threshold: Double?
    public var similarity: Double?

    public init(
        cacheHit: Bool, hitType: HitType? = nil, cacheID: String? = nil, requestedProvider: String? = nil,
        requestedModel: String? = nil, providerUsed: String? = nil, modelUsed: String? = nil,
        inputTokens: Int? = nil, threshold: Double? = nil, similarity: Double? = nil
    ) {
        self.cacheHit = cacheHit
        self.hitType = hitType
        self.cacheID = cacheID
        self.requestedProvider = requestedProvider
        self.requestedModel = requestedModel
        self.providerUsed = providerUsed
        self.modelUsed = modelUsed
        self.inputTokens = inputTokens
        self.threshold = threshold
        self.similarity = similarity
    }

    /// Compact JSON with fields in a fixed order; absent fields are omitted, not null.
    public var json: [UInt8] {
        var members: [(key: String, value: JSONValue)] = [("cache_hit", .bool(cacheHit))]
        if let hitType { members.append(("hit_type", .string(hitType.rawValue))) }
        if let cacheID { members.append(("cache_id", .string(cacheID))) }
        if let requestedProvider { members.append(("requested_provider", .string(requestedProvider))) }
        if let requestedModel { members.append(("requested_model", .string(requestedModel))) }
        if let providerUsed { members.append(("provider_used", .string(providerUsed))) }
        if let modelUsed { members.append(("model_used", .string(modelUsed))) }
        if let inputTokens { members.append(("input_tokens", .number(String(inputTokens)))) }
        if let threshold { members.append(("threshold", .number(Self.format(threshold)))) }
        if let similarity { members.append(("similarity", .number(Self.format(similarity)))) }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            CanonicalJSON.write(member.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return "\(value)"
    }
}
