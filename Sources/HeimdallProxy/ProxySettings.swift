import HeimdallCore

/// The part of the configuration the request path reads, fixed at start-up.
struct ProxySettings: Sendable {
    var defaultCacheKey: String
    var ttlSeconds: Double
    var shareAcrossTenants: Bool
    var cacheVideos: Bool
    var writeBehind: Bool
    var maxRequestBodyBytes: Int
    var maxResponseBytes: Int
    var fingerprintOptions: RequestFingerprint.Options

    init(_ c: HeimdallConfiguration) {
        defaultCacheKey = c.defaultCacheKey
        ttlSeconds = c.ttlSeconds
        shareAcrossTenants = c.shareAcrossTenants
        cacheVideos = c.cacheVideos
        writeBehind = c.writeBehind
        maxRequestBodyBytes = c.maxRequestBodyBytes
        maxResponseBytes = c.maxResponseBytes
        fingerprintOptions = .init(
            cacheByModel: c.cacheByModel, cacheByProvider: c.cacheByProvider, excludeSystemPrompt: c.excludeSystemPrompt)
    }
}
