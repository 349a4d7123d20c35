import HeimdallCore

/// The request path's first decision, from the request head alone (before the body is read):
/// forward it untouched, or run the cache for it with these directives and this cache key
/// (docs/behaviour.md §3). A value, so it is tested without a socket (`CachePlanTests`).
enum CachePlan: Equatable {
    case forward
    case cache(RouteFamily, CacheDirectives, cacheKey: String)

    init(method: String, target: String, headers: CacheRelevantHeaders, defaultCacheKey: String, cacheVideos: Bool) {
        guard let route = RouteFamily.classify(method: method, path: target) else {
            self = .forward
            return
        }
        let directives = CacheDirectives(header: headers.directive, defaultCacheKey: defaultCacheKey)
        // A compressed request body cannot be keyed without inflating it: leave it to the upstream.
        let encodedBody = headers.contentEncoding.map { $0.lowercased() != "identity" } ?? false
        guard directives.isCaching, let cacheKey = directives.cacheKey, !encodedBody else {
            self = .forward
            return
        }
        // Video jobs are deduplicated only when asked for: by configuration or an explicit cache key.
        if route.isVideoJob, !cacheVideos, headers.cacheKey == nil {
            self = .forward
            return
        }
        self = .cache(route, directives, cacheKey: cacheKey)
    }
}
