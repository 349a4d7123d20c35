import Crypto

/// SHA-256 in lowercase hex: the spelling of every key and tenant id Heimdall stores.
public enum Digest {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        let digest = bytes.withContiguousStorageIfAvailable { SHA256.hash(data: $0) } ?? SHA256.hash(data: Array(bytes))
        return String(unsafeUninitializedCapacity: 64) { out in
            var i = 0
            for byte in digest {
                out[i] = hexDigits[Int(byte >> 4)]
                out[i + 1] = hexDigits[Int(byte & 0xF)]
                i += 2
            }
            return 64
        }
    }

    public static func sha256Hex(_ text: String) -> String { sha256Hex(text.utf8) }
}
