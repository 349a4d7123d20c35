/// The cacheable endpoint families (docs/behaviour.md §3, §6). Everything else is forwarded untouched.
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
        // On UTF-8 bytes: this runs for every request, and Character-based Substring work costs microseconds.
        var route = Substring(path).utf8
        if let q = route.firstIndex(of: UInt8(ascii: "?")) { route = route[..<q] }
        while route.count > 1, route.last == UInt8(ascii: "/") { route = route.dropLast() }
        if route.first == UInt8(ascii: "/") { route = route.dropFirst() }
        if route.starts(with: "v1/".utf8) { route = route.dropFirst(3) }
        for (name, family) in fixedRoutes where route.elementsEqual(name.utf8) { return family }
        let parts = route.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].elementsEqual("videos".utf8), !parts[1].isEmpty, parts[2].elementsEqual("remix".utf8) {
            return .videoRemix
        }
        return nil
    }

    private static let fixedRoutes: [(String, RouteFamily)] = [
        ("chat/completions", .chatCompletions), ("completions", .textCompletions), ("responses", .responses),
        ("embeddings", .embeddings), ("audio/speech", .audioSpeech), ("audio/transcriptions", .audioTranscriptions),
        ("images/generations", .imageGenerations), ("videos", .videoCreate),
    ]

    /// Whether a near-duplicate may answer: text generation and images. Embeddings, audio and
    /// video jobs are answered only for the identical request (docs/behaviour.md §3).
    public var allowsSemantic: Bool {
        switch self {
        case .chatCompletions, .textCompletions, .responses, .imageGenerations: return true
        case .embeddings, .audioSpeech, .audioTranscriptions, .videoCreate, .videoRemix: return false
        }
    }

    /// Video generation jobs: cached only on request (docs/behaviour.md §6).
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
