import HeimdallCore
import HeimdallStore
import Hummingbird
import Logging

/// The admin listener's routes (docs/behaviour.md §7): health, stats, metrics, the dashboard and the
/// entry API. Separate port; loopback only unless an `admin_token` guards it.
enum AdminRoutes {
    static func router(
        store: CacheStore, stats: StatsRecorder, health: StoreHealth, semantic: SemanticIndex?, token: AdminToken?,
        logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        if let token { router.add(middleware: AdminAuthMiddleware(token: token)) }
        router.get("healthz") { _, _ in
            AdminResponse.json("{\"status\":\"ok\"}")
        }
        router.get("readyz") { _, _ in
            let report = ReadinessReport(store: store, health: health)
            return try AdminResponse.encoded(report, status: report.isReadable ? .ok : .serviceUnavailable)
        }
        router.get("stats") { _, _ in
            AdminResponse.json(try stats.snapshot(store: store, health: health).json())
        }
        router.get("metrics") { _, _ in
            let text = stats.metrics.exposition(stats.snapshot(store: store, health: health))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/") { _, _ in DashboardPage.response() }
        router.get("index.html") { _, _ in DashboardPage.response() }
        EntryRoutes(store: store, semantic: semantic, logger: logger).add(to: router)
        return router
    }
}
