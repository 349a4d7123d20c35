import Foundation
import HeimdallStore
import Hummingbird
import Logging

/// `/entries` (list, show, delete by id, by key, all) and Bifrost's clear aliases. Every
/// deletion also drops the entries' vectors, so a deleted answer is never a semantic hit.
/// Deleting by key spans every tenant: the admin is trusted.
struct EntryRoutes: Sendable {
    let store: CacheStore
    let semantic: SemanticIndex?
    let logger: Logger

    static let defaultLimit = 100
    static let maximumLimit = 10_000

    func add(to router: Router<BasicRequestContext>) {
        router.get("entries") { request, _ in try list(request) }
        router.get("entries/:id") { request, context in try show(request, id: Self.parameter("id", context)) }
        router.delete("entries/:id") { _, context in try delete(id: Self.parameter("id", context), notFound: true) }
        router.delete("entries") { request, _ in try deleteMany(request) }
        router.delete("api/cache/clear/:cacheId") { _, context in try delete(id: Self.parameter("cacheId", context), notFound: false) }
        router.delete("api/cache/clear-by-key/:cacheKey") { _, context in try delete(cacheKey: Self.parameter("cacheKey", context)) }
    }

    /// Path parameters arrive percent-encoded; ids and keys are matched as the client meant them.
    static func parameter(_ name: String, _ context: BasicRequestContext) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    func list(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        var limit = Self.defaultLimit
        if let text = query.get("limit") {
            guard let n = Int(text), n > 0 else {
                return AdminResponse.error(
                    .badRequest, message: "limit must be a positive integer", type: "invalid_request_error", code: "invalid_limit")
            }
            limit = min(n, Self.maximumLimit)
        }
        let now = store.clock.now()
        let entries = try store.entries(cacheKey: query.get("key"), limit: limit)
        return try AdminResponse.encoded(EntryListView(data: entries.map { EntryView($0, now: now) }))
    }

    func show(_ request: Request, id: String) throws -> Response {
        guard let metadata = try store.metadata(id: id) else { return Self.notFound(id) }
        var body: [UInt8]?
        if request.uri.queryParameters.get("body") == "true" { body = try store.entry(id: id)?.body }
        return try AdminResponse.encoded(EntryView(metadata, now: store.clock.now(), body: body))
    }

    func delete(id: String, notFound: Bool) throws -> Response {
        let existed = try store.delete(id: id)
        if existed { removed([id], what: "id") }
        if !existed && notFound { return Self.notFound(id) }
        return try AdminResponse.encoded(DeletionView(deleted: existed ? [id] : []))
    }

    func delete(cacheKey: String) throws -> Response {
        let ids = try store.deleteAll(cacheKey: cacheKey)
        removed(ids, what: "cache key")
        return try AdminResponse.encoded(DeletionView(deleted: ids))
    }

    /// `DELETE /entries?key=K` or `DELETE /entries` (everything). Any other query parameter is
    /// refused: a misspelt `?kye=` must not delete every entry.
    func deleteMany(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        if let unknown = query.first(where: { $0.key != "key" }) {
            return AdminResponse.error(
                .badRequest, message: "unknown parameter \(unknown.key); DELETE /entries takes only ?key=K (or nothing, for all)",
                type: "invalid_request_error", code: "invalid_parameter")
        }
        if let key = query.get("key") { return try delete(cacheKey: key) }
        let ids = try store.deleteAll()
        removed(ids, what: "all")
        return try AdminResponse.encoded(DeletionView(deleted: ids))
    }

    func removed(_ ids: [String], what: String) {
        semantic?.remove(ids)
        logger.info("entries deleted", metadata: ["by": "\(what)", "count": "\(ids.count)"])
    }

    static func notFound(_ id: String) -> Response {
        AdminResponse.error(.notFound, message: "no entry with id \(id)", type: "invalid_request_error", code: "entry_not_found")
    }
}
