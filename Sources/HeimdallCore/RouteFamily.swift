/// The cacheable endpoint families (CONTRACT §3). Everything else is forwarded untouched.
public enum RouteFamily: String, Sendable, CaseIterable {
    case chatCompletions = "chat"
    case textCompletions = "completions"
    case responses = "responses"
    case embeddings = "embeddings"

    /// Classifies a request. `path` is the raw request target; the query string is ignored.
    /// Only `POST` to the exact `/v1/...` endpoint is cacheable: provider-prefixed
    /// routes (`/openai/v1/...`) and sub-resources (`/v1/responses/{id}`) pass through.
    public static func classify(method: String, path: String) -> RouteFamily? {
        guard method == "POST" else { return nil }
        var route = Substring(path)
        if let q = route.firstIndex(of: "?") { route = route[..<q] }
        while route.count > 1, route.hasSuffix("/") { route = route.dropLast() }
        switch route {
        case "/v1/chat/completions", "/chat/completions": return .chatCompletions
        case "/v1/completions", "/completions": return .textCompletions
        case "/v1/responses", "/responses": return .responses
        case "/v1/embeddings", "/embeddings": return .embeddings
        default: return nil
        }
    }
}
