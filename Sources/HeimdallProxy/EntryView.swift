import HeimdallStore

/// An entry as `/entries` shows it: metadata, and the prompt and body only when asked (`?body=true`).
struct EntryView: Encodable {
    var id: String
    var cacheKey: String
    /// SHA-256 of the credential that stored it (never the credential).
    var tenant: String
    var route: String
    var provider: String?
    var model: String?
    var status: Int
    var rawSize: Int
    var storedSize: Int
    var isStream: Bool
    var promptTokens: Int?
    var completionTokens: Int?
    var createdAt: Double
    var expiresAt: Double
    var expired: Bool
    var hits: Int
    var lastHitAt: Double?
    var hasEmbedding: Bool
    var prompt: String?
    var body: String?

    init(_ m: EntryMetadata, now: Double, body: [UInt8]? = nil) {
        id = m.id
        cacheKey = m.cacheKey
        tenant = m.tenant
        route = m.route
        provider = m.provider
        model = m.model
        status = m.status
        rawSize = m.rawSize
        storedSize = m.storedSize
        isStream = m.isStream
        promptTokens = m.promptTokens
        completionTokens = m.completionTokens
        createdAt = m.created
        expiresAt = m.expires
        expired = m.expires <= now
        hits = m.hits
        lastHitAt = m.lastHit
        hasEmbedding = m.hasEmbedding
        prompt = body == nil ? nil : m.prompt
        self.body = body.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The answer to a deletion; `message` is what Bifrost's clear endpoints say.
struct DeletionView: Encodable {
    var message = "Cache cleared successfully"
    var deleted: Int
    /// The deleted ids, left out past 1000 so clearing a big cache stays a small answer.
    var ids: [String]?

    init(deleted ids: [String]) {
        deleted = ids.count
        self.ids = ids.count <= 1000 ? ids : nil
    }
}

struct EntryListView: Encodable {
    var object = "list"
    var data: [EntryView]
}
