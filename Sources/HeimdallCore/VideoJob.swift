/// The parts of a video job object (`POST /v1/videos`, `GET /v1/videos/{id}`) that decide
/// whether a cached job may still be handed out (docs/behaviour.md §6).
public struct VideoJob: Sendable, Equatable {
    /// The job id, `id:provider` as Bifrost returns it.
    public var id: String
    public var status: String?
    /// Unix seconds after which the provider no longer serves the video.
    public var expiresAt: Double?

    public init?(body: [UInt8]) {
        guard let json = try? JSONParser.parse(body), let id = json["id"]?.stringValue else { return nil }
        self.id = id
        self.status = json["status"]?.stringValue
        self.expiresAt = json["expires_at"]?.doubleValue
    }

    /// Not failed and not past its expiry.
    public func isReusable(now: Double) -> Bool {
        status != "failed" && (expiresAt.map { $0 > now } ?? true)
    }
}
