import HeimdallStore

/// `/readyz`: ready while the database can be read. A store that cannot write is `degraded`, not
/// unready: the proxy still answers every request (from the upstream), so a load balancer should
/// keep sending it traffic, and a dashboard should show why hits stopped.
struct ReadinessReport: Encodable {
    /// "ready" or "unavailable" (database not readable: HTTP 503).
    var status: String
    /// "ok", "degraded" (writes failing) or "unreadable".
    var store: String
    /// The last store failure's message while not "ok".
    var error: String?

    var isReadable: Bool { status == "ready" }

    init(store database: CacheStore, health: StoreHealth) {
        let snapshot = health.snapshot()
        do {
            _ = try database.totals()
            status = "ready"
            store = snapshot.status
            error = snapshot.status == "ok" ? nil : snapshot.lastError
        } catch let failure {
            status = "unavailable"
            store = "unreadable"
            error = "database not readable: \(failure)"
        }
    }
}
