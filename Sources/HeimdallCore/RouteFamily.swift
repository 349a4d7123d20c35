/// The cacheable endpoint families (CONTRACT §3, §6). Everything else is forwarded untouched.
public enum RouteFamily: String, Sendable, CaseIterable {
    case chatCompletions = "chat"
    case textCompletions = "completions"
    case responses = "responses"
    case embeddings = "embeddings"
    case audioSpeech = "speech"
    case audioTranscriptions = "transcriptions"
    case imageGenerations = "images"
    case videoCreate = "videos"
    case videoRemix = "video_remix"

    /// Classifies a request. `path` is the raw request target; the query string is ignored.
    /// Only `POST` to the exact `/v1/...` endpoint is cacheable: provider-prefixed
    /// routes (`/openai/v1/...`) and sub-resources (`/v1/responses/{id}`) pass through.
    public static func classify(method: String, path: String) -> RouteFamily? {
        guard method == "POST" else { return nil }
        var route = Substring(path)
        if let q = route.firstIndex(of: "?") { route = route[..<q] }
        while route.count > 1, route.hasSuffix("/") { route = route.dropLast() }
        if route.hasPrefix("/") { route = route.dropFirst() }
        if route.hasPrefix("v1/") { route = route.dropFirst(3) }
        switch route {
        case "chat/completions": return .chatCompletions
        case "completions": return .textCompletions
        case "responses": return .responses
        case "embeddings": return .embeddings
        case "audio/speech": return .audioSpeech
        case "audio/transcriptions": return .audioTranscriptions
        case "images/generations": return .imageGenerations
        case "videos": return .videoCreate
        default:
            let parts = route.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3, parts[0] == "videos", !parts[1].isEmpty, parts[2] == "remix" { return .videoRemix }
            return nil
        }
    }

    /// Whether a near-duplicate may answer: text generation and images. Embeddings, audio and
    /// video jobs are answered only for the identical request (CONTRACT §3).
    public var allowsSemantic: Bool {
        switch self {
        case .chatCompletions, .textCompletions, .responses, .imageGenerations: return true
        case .embeddings, .audioSpeech, .audioTranscriptions, .videoCreate, .videoRemix: return false
        }
    }

    /// Video generation jobs: cached only on request (CONTRACT §6).
    public var isVideoJob: Bool { self == .videoCreate || self == .videoRemix }

    /// The `{video_id}` of a remix path, exactly as sent (percent-encoding kept).
    public static func remixedVideoID(path: String) -> String? {
        var route = Substring(path)
        if let q = route.firstIndex(of: "?") { route = route[..<q] }
        let parts = route.split(separator: "/")
        guard parts.count >= 3, parts[parts.count - 1] == "remix", parts[parts.count - 3] == "videos" else { return nil }
        return String(parts[parts.count - 2])
    }
}
