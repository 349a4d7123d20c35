import HeimdallStore
import Hummingbird

/// The admin listener's routes (CONTRACT §7). Separate port, loopback only.
enum AdminRoutes {
    static func router(store: CacheStore) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in
            json("{\"status\":\"ok\"}")
        }
        router.get("readyz") { _, _ in
            do {
                _ = try store.totals()
                return json("{\"status\":\"ready\"}")
            } catch {
                return json("{\"status\":\"unavailable\",\"error\":\"database not readable\"}", status: .serviceUnavailable)
            }
        }
        return router
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
