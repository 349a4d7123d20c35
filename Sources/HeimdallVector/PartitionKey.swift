/// Identifies the partition a vector lives in: entries are only ever compared with entries that
/// share every exact-match attribute of the request (tenant, model, parameters, ...), so the caller
/// hashes those into a digest and a lookup scans only that partition.
public struct PartitionKey: Sendable, Hashable, CustomStringConvertible {
    /// The digest bytes, typically 32 (SHA-256).
    public let bytes: [UInt8]

    public init(_ bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
