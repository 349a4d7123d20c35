import HTTPTypes
import HeimdallCore

/// RFC 9110 §7.6.1: headers that describe one connection, not the message, and so
/// must not be forwarded by a proxy — plus any header the `Connection` header names.
enum HopByHopHeaders {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Names to drop from `fields`: the fixed set plus those listed in `Connection`.
    static func dropped(from fields: HTTPFields) -> Set<String> {
        var names = Self.names
        for value in fields[values: .connection] {
            for token in value.split(separator: ",") {
                names.insert(token.trimmingCharacters(in: " \t").lowercased())
            }
        }
        return names
    }
}
