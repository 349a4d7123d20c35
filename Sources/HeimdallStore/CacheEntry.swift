import HeimdallCore

/// A response to be stored, with what identifies it (docs/behaviour.md §3).
public struct CacheEntry: Sendable {
    public var id: String
    public var directKey: String
    public var partitionKey: String
    public var cacheKey: String
    public var tenant: String
    public var route: String
    public var provider: String?
    public var model: String?
    public var status: Int
    /// Response headers worth replaying (content type); never credentials.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var isStream: Bool
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var ttlSeconds: Double
    /// The prompt's embedding (unit norm) and the embedder that made it, for semantic lookup.
    public var embedding: [Float]?
    public var embeddingModel: String?
    /// The text that was embedded; kept so hit-quality checks can compare prompts.
    public var prompt: String?
    /// The video job id (`id:provider`) a video create/remix entry holds, so a failed job can be dropped.
    public var jobID: String?

    public init(
        id: String, directKey: String, partitionKey: String, cacheKey: String, tenant: String, route: String,
        provider: String?, model: String?, status: Int, headers: [(name: String, value: String)], body: [UInt8],
        isStream: Bool = false, promptTokens: Int? = nil, completionTokens: Int? = nil, ttlSeconds: Double,
        embedding: [Float]? = nil, embeddingModel: String? = nil, prompt: String? = nil, jobID: String? = nil
    ) {
        self.id = id
        self.directKey = directKey
        self.partitionKey = partitionKey
        self.cacheKey = cacheKey
        self.tenant = tenant
        self.route = route
        self.provider = provider
        self.model = model
        self.status = status
        self.headers = headers
        self.body = body
        self.isStream = isStream
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.ttlSeconds = ttlSeconds
        self.embedding = embedding
        self.embeddingModel = embeddingModel
        self.prompt = prompt
        self.jobID = jobID
    }
}

/// A stored embedding as loaded at start-up to rebuild the vector index.
public struct StoredEmbedding: Sendable {
    public var id: String
    public var partitionKey: String
    public var vector: [Float]
}

/// A stored response as read back: body inflated and checked against its recorded size.
public struct StoredResponse: Sendable {
    public var id: String
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var isStream: Bool
    public var created: Double
    public var expires: Double
    public var hits: Int
    public var rawSize: Int
    public var storedSize: Int
    public var prompt: String?
    /// The stored answer's `usage`: what serving it instead of the upstream saved.
    public var promptTokens: Int?
    public var completionTokens: Int?

    public init(
        id: String, status: Int, headers: [(name: String, value: String)], body: [UInt8], isStream: Bool,
        created: Double = 0, expires: Double = .infinity, hits: Int = 0, rawSize: Int? = nil, storedSize: Int = 0,
        prompt: String? = nil, promptTokens: Int? = nil, completionTokens: Int? = nil
    ) {
        self.id = id
        self.status = status
        self.headers = headers
        self.body = body
        self.isStream = isStream
        self.created = created
        self.expires = expires
        self.hits = hits
        self.rawSize = rawSize ?? body.count
        self.storedSize = storedSize
        self.prompt = prompt
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// Stored totals, as the admin stats report them.
public struct StoreTotals: Sendable, Equatable {
    public var entries: Int
    public var rawBytes: Int
    public var storedBytes: Int
    public var databaseBytes: Int

    /// An empty store's totals.
    public static let zero = StoreTotals(entries: 0, rawBytes: 0, storedBytes: 0, databaseBytes: 0)
}
