import HeimdallCore
import HeimdallStore

/// What to do with one semantic match once its entry has been read (the request path's "verify"
/// decision): serve it, drop it from the index (expired or deleted since it was indexed), or pass
/// over it because the hit-quality guard vetoes it. A value, tested without a socket
/// (`SemanticVerdictTests`).
enum SemanticVerdict: Equatable {
    case serve
    case gone
    case vetoed(HitQualityGuard.Check)

    /// - Parameters:
    ///   - query: the request's prompt text, as embedded.
    ///   - entry: the match's live entry, or nil when it is gone.
    init(query: String, entry: StoredResponse?, similarity: Double, hitGuard: HitQualityGuard) {
        guard let entry else {
            self = .gone
            return
        }
        if let prompt = entry.prompt, let check = hitGuard.rejection(query: query, candidate: prompt, similarity: similarity) {
            self = .vetoed(check)
        } else {
            self = .serve
        }
    }
}
