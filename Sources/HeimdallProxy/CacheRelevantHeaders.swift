import HTTPTypes
import HeimdallCore
import NIOHTTP1

/// The request headers the cache reads, gathered in one pass over the fields (each keyed
/// `HTTPFields` lookup hashes every name first: a measurable cost on the direct-hit path).
/// Repeated fields are combined with ", ", as `HTTPFields`' subscript does.
struct CacheRelevantHeaders {
    var cacheKey: String?
    var ttl: String?
    var threshold: String?
    var type: String?
    var noStore: String?
    var contentEncoding: String?
    var contentType: String?
    var virtualKey: String?
    var authorization: String?

    init(_ fields: HTTPFields) {
        for field in fields { take(field.name.canonicalName, field.value) }
    }

    /// The same from NIO's HTTP/1 headers (the event-loop fast path reads them before conversion).
    init(_ headers: HTTPHeaders) {
        for (name, value) in headers { take(name, value) }
    }

    /// Keeps `value` when `name` (any case) is one the cache reads.
    private mutating func take(_ name: String, _ value: String) {
        switch name.utf8.count {
        case 14 where Self.named(name, "x-bf-cache-key"): Self.add(value, to: &cacheKey)
        case 14 where Self.named(name, "x-bf-cache-ttl"): Self.add(value, to: &ttl)
        case 20 where Self.named(name, "x-bf-cache-threshold"): Self.add(value, to: &threshold)
        case 15 where Self.named(name, "x-bf-cache-type"): Self.add(value, to: &type)
        case 19 where Self.named(name, "x-bf-cache-no-store"): Self.add(value, to: &noStore)
        case 16 where Self.named(name, "content-encoding"): Self.add(value, to: &contentEncoding)
        case 12 where Self.named(name, "content-type"): Self.add(value, to: &contentType)
        case 7 where Self.named(name, "x-bf-vk"): Self.add(value, to: &virtualKey)
        case 13 where Self.named(name, "authorization"): Self.add(value, to: &authorization)
        default: break
        }
    }

    /// ASCII case-insensitive equality with a lowercase name of the same length.
    private static func named(_ name: String, _ lowercase: StaticString) -> Bool {
        var index = 0
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for byte in name.utf8 {
            let folded = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            guard index < expected.count, folded == expected[index] else { return false }
            index += 1
        }
        return index == expected.count
    }

    /// The directive headers by name, for `CacheDirectives`.
    func directive(_ name: String) -> String? {
        switch name {
        case CacheDirectives.keyHeader: cacheKey
        case CacheDirectives.ttlHeader: ttl
        case CacheDirectives.thresholdHeader: threshold
        case CacheDirectives.typeHeader: type
        case CacheDirectives.noStoreHeader: noStore
        default: nil
        }
    }

    private static func add(_ value: String, to slot: inout String?) {
        slot = slot.map { $0 + ", " + value } ?? value
    }
}
