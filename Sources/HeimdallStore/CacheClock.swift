import Foundation

/// Wall-clock time in seconds since 1970, injected so TTL behaviour is testable without sleeping.
public struct CacheClock: Sendable {
    public var now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double) { self.now = now }

    public static let system = CacheClock { Date().timeIntervalSince1970 }
}
