import HTTPTypes
import HeimdallCore
import Hummingbird

/// With an `admin_token`, every admin call needs `Authorization: Bearer <token>` (docs/behaviour.md §5);
/// anything else gets `401` in OpenAI's error shape. The dashboard page itself holds no data and
/// is served to anyone who can reach the listener: its script sends the token with each call.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: AdminToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isDashboardShell = request.method == .get && (request.uri.path == "/" || request.uri.path == "/index.html")
        guard isDashboardShell || token.authorizes(header: request.headers[.authorization]) else {
            var response = AdminResponse.error(
                .unauthorized, message: "admin calls need the header Authorization: Bearer <admin_token>",
                type: "authentication_error", code: "invalid_admin_token")
            response.headers[.wwwAuthenticate] = "Bearer realm=\"heimdall-admin\""
            return response
        }
        return try await next(request, context)
    }
}
