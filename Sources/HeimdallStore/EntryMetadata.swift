import HeimdallCore

/// What the admin API shows about a stored entry: everything but the body (and, unless asked,
/// the prompt). The tenant is the stored hash of the caller's credential, never the credential.
public struct EntryMetadata: Sendable, Equatable {
    public var id: String
    public var cacheKey: String
    public var tenant: String
    public var route: String
    public var provider: String?
    public var model: String?
    public var status: Int
    public var rawSize: Int
    public var storedSize: Int
    public var isStream: Bool
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var created: Double
    public var expires: Double
    public var hits: Int
    public var lastHit: Double?
    public var hasEmbedding: Bool
    public var prompt: String?
}

extension CacheStore {
    static let metadataColumns = """
        id, cache_key, tenant, route, provider, model, status, raw_size, stored_size, is_stream, prompt_tokens,
        completion_tokens, created, expires, hits, last_hit, embedding IS NOT NULL, prompt
        """

    /// One entry's metadata, expired or not; nil when absent.
    public func metadata(id: String) throws(StoreError) -> EntryMetadata? {
        _ = try? flush()  // queued entries are listed too once written; a store that cannot write still reads
        return try state.withLock { (state: inout State) throws(StoreError) -> EntryMetadata? in
            let statement = try state.connection.statement("SELECT \(Self.metadataColumns) FROM entries WHERE id = ?")
            statement.bind(1, id)
            defer { statement.reset() }
            return try statement.step() ? Self.metadata(statement) : nil
        }
    }

    /// Entries of one cache key (every key when nil), newest first, at most `limit`.
    public func entries(cacheKey: String?, limit: Int) throws(StoreError) -> [EntryMetadata] {
        _ = try? flush()  // queued entries are listed too once written; a store that cannot write still reads
        return try state.withLock { (state: inout State) throws(StoreError) -> [EntryMetadata] in
            let filter = cacheKey == nil ? "" : "WHERE cache_key = ?"
            let statement = try state.connection.statement(
                "SELECT \(Self.metadataColumns) FROM entries \(filter) ORDER BY created DESC, id LIMIT ?")
            if let cacheKey {
                statement.bind(1, cacheKey)
                statement.bind(2, limit)
            } else {
                statement.bind(1, limit)
            }
            var result: [EntryMetadata] = []
            while try statement.step() { result.append(Self.metadata(statement)) }
            return result
        }
    }

    static func metadata(_ s: SQLiteStatement) -> EntryMetadata {
        EntryMetadata(
            id: s.string(0) ?? "", cacheKey: s.string(1) ?? "", tenant: s.string(2) ?? "", route: s.string(3) ?? "",
            provider: s.string(4), model: s.string(5), status: s.int(6), rawSize: s.int(7), storedSize: s.int(8),
            isStream: s.int(9) != 0, promptTokens: s.isNull(10) ? nil : s.int(10),
            completionTokens: s.isNull(11) ? nil : s.int(11), created: s.double(12), expires: s.double(13), hits: s.int(14),
            lastHit: s.isNull(15) ? nil : s.double(15), hasEmbedding: s.int(16) != 0, prompt: s.string(17))
    }

    /// Stored entries per cache key and per model (`provider/model`), for the stats breakdown.
    public func breakdown() throws(StoreError) -> StoreBreakdown {
        _ = try? flush()  // queued entries are listed too once written; a store that cannot write still reads
        return try state.withLock { (state: inout State) throws(StoreError) -> StoreBreakdown in
            var breakdown = StoreBreakdown()
            let byKey = try state.connection.statement("SELECT cache_key, count(*) FROM entries GROUP BY cache_key")
            while try byKey.step() { breakdown.entriesByCacheKey[byKey.string(0) ?? "", default: 0] += byKey.int(1) }
            let byModel = try state.connection.statement(
                "SELECT provider, model, count(*) FROM entries WHERE model IS NOT NULL GROUP BY provider, model")
            while try byModel.step() {
                let name = ModelName(provider: byModel.string(0), model: byModel.string(1) ?? "").label
                breakdown.entriesByModel[name, default: 0] += byModel.int(2)
            }
            return breakdown
        }
    }
}

/// Stored entries grouped the way the stats break requests down.
public struct StoreBreakdown: Sendable, Equatable {
    public var entriesByCacheKey: [String: Int] = [:]
    public var entriesByModel: [String: Int] = [:]

    public init() {}
}
