import HeimdallCore
import Hummingbird
import NIOCore

/// A cacheable request after its body was read and keyed: what every step of the cache pipeline needs.
struct CacheableRequest {
    let request: Request
    let target: String
    let body: ByteBuffer
    let fingerprint: RequestFingerprint
    let directives: CacheDirectives
    /// What the request did, for `/stats`.
    let record: RequestRecord

    /// `cache_debug` before any lookup: who asked for what.
    var baseDebug: CacheDebug { Self.baseDebug(fingerprint) }

    static func baseDebug(_ fingerprint: RequestFingerprint) -> CacheDebug {
        CacheDebug(
            cacheHit: false, requestedProvider: fingerprint.requestedModel?.provider,
            requestedModel: fingerprint.requestedModel?.model)
    }
}
