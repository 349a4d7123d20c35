/// One request the mock upstream received, as it arrived.
public struct RecordedCall: Sendable {
    public var method: String
    /// The raw request target: path and query exactly as sent.
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
