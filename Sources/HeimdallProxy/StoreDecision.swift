import Foundation
import HeimdallCore

/// Whether a miss's complete upstream answer is stored (docs/behaviour.md §3): only a 2xx answer
/// in identity encoding (so `cache_debug` can be spliced into its replays), when the request did
/// not say `x-bf-cache-no-store`, and a video job only while it can still be served. A value, so
/// each rule is tested without a socket (`StoreDecisionTests`).
enum StoreDecision: Equatable {
    case store
    case skip(Reason)

    enum Reason: Equatable {
        case notSuccessful, noStore, encoded, videoJobNotReusable
    }

    init(status: Int, noStore: Bool, contentEncoding: String, route: RouteFamily, body: [UInt8], now: Double) {
        if !(200..<300).contains(status) {
            self = .skip(.notSuccessful)
        } else if noStore {
            self = .skip(.noStore)
        } else if contentEncoding != "identity" {
            self = .skip(.encoded)
        } else if route.isVideoJob, !(VideoJob(body: body).map { $0.isReusable(now: now) } ?? false) {
            self = .skip(.videoJobNotReusable)
        } else {
            self = .store
        }
    }
}
