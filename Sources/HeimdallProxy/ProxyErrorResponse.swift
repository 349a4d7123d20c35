import HTTPTypes
import HeimdallCore
import Hummingbird

/// Proxy-side failures as OpenAI-shaped JSON errors, never a bare 500.
enum ProxyErrorResponse {
    static func make(status: HTTPResponse.Status, message: String, type: String, code: String? = nil, cacheOutcome: CacheOutcome)
        -> Response
    {
        let body = OpenAIErrorBody(message: message, type: type, code: code).json
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[CacheOutcome.headerName] = cacheOutcome.rawValue
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func upstream(_ error: UpstreamError, cacheOutcome: CacheOutcome) -> Response {
        switch error.kind {
        case .unavailable:
            return make(
                status: .badGateway, message: "upstream unavailable: \(error.description)", type: "upstream_unavailable",
                cacheOutcome: cacheOutcome)
        case .timeout:
            return make(
                status: .gatewayTimeout, message: "upstream timed out: \(error.description)", type: "upstream_timeout",
                cacheOutcome: cacheOutcome)
        }
    }

    static func bodyTooLarge(limit: Int, cacheOutcome: CacheOutcome) -> Response {
        make(
            status: .contentTooLarge, message: "request body exceeds the proxy's limit of \(limit) bytes (max_request_body_bytes)",
            type: "invalid_request_error", code: "request_too_large", cacheOutcome: cacheOutcome)
    }
}

/// The `x-heimdall-cache` header every response carries (docs/behaviour.md §4).
enum CacheOutcome: String, Sendable {
    case hitDirect = "hit-direct"
    case hitSemantic = "hit-semantic"
    case miss
    case bypass

    static let headerName = HTTPField.Name("x-heimdall-cache")!
}
