import HeimdallCore
import NIOCore
import Synchronization

/// Fingerprints of recently seen request bodies. A fingerprint is a pure function of the route,
/// path, content type, cache key, tenant and body bytes (the options are fixed at start-up), so a
/// repeated request — the one a cache exists for — skips the JSON parse, the canonical encoding
/// and both SHA-256s. Keyed by the exact bytes, compared in full: no false sharing. Bounded in
/// bytes (bodies and parsed documents); when full it starts over.
final class FingerprintMemo: Sendable {
    struct Key: Hashable {
        var route: RouteFamily
        var target: String
        var contentType: String?
        var cacheKey: String
        var tenant: String
        var body: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(route)
            hasher.combine(target)
            hasher.combine(contentType)
            hasher.combine(cacheKey)
            hasher.combine(tenant)
            // All bytes at once: `[UInt8]`'s own hash feeds the hasher a byte at a time.
            body.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private struct State {
        var byKey: [Key: RequestFingerprint] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    let capacity: Int
    /// Larger bodies are fingerprinted every time: they are rarely repeated byte for byte.
    let maxBodyBytes: Int

    init(capacity: Int = 16 << 20, maxBodyBytes: Int = 16 << 10) {
        self.capacity = capacity
        self.maxBodyBytes = maxBodyBytes
    }

    func fingerprint(
        route: RouteFamily, target: String, body: ByteBuffer, contentType: String?, cacheKey: String, tenant: String,
        options: RequestFingerprint.Options
    ) -> Result<RequestFingerprint, CacheableBody.Failure> {
        guard body.readableBytes <= maxBodyBytes else {
            return CacheableBody.fingerprint(
                route: route, path: target, body: body.readableBytesView, contentType: contentType, cacheKey: cacheKey, tenant: tenant,
                options: options)
        }
        let key = Key(
            route: route, target: target, contentType: contentType, cacheKey: cacheKey, tenant: tenant,
            body: Array(body.readableBytesView))
        if let known = state.withLock({ $0.byKey[key] }) { return .success(known) }
        let result = CacheableBody.fingerprint(
            route: route, path: target, body: key.body, contentType: contentType, cacheKey: cacheKey, tenant: tenant, options: options)
        guard case .success(let fingerprint) = result else { return result }
        // The body is held twice over (its bytes and its parsed document); strings are small.
        let size = key.body.count * 4 + key.target.utf8.count + 512
        state.withLock { state in
            if state.bytes + size > capacity {
                state.byKey = [:]
                state.bytes = 0
            }
            if state.byKey.updateValue(fingerprint, forKey: key) == nil { state.bytes += size }
        }
        return result
    }
}
