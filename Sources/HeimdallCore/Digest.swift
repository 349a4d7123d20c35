import Crypto

/// SHA-256 in lowercase hex: the spelling of every key and tenant id Heimdall stores.
public enum Digest {
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        let digest = SHA256.hash(data: Array(bytes))
        var out = ""
        out.reserveCapacity(64)
        let hex = Array("0123456789abcdef")
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return out
    }

    public static func sha256Hex(_ text: String) -> String { sha256Hex(text.utf8) }
}
