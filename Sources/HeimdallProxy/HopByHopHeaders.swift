import HTTPTypes
import HeimdallCore

/// RFC 9110 §7.6.1: headers that describe one connection, not the message, and so
/// must not be forwarded by a proxy — plus any header the `Connection` header names.
enum HopByHopHeaders {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Names to drop: the fixed set plus those listed in the `Connection` header's values.
    static func dropped(connectionValues: some Sequence<some StringProtocol>) -> Set<String> {
        var names = Self.names
        for value in connectionValues {
            for token in value.split(separator: ",") {
                names.insert(Substring(token).trimmingCharacters(in: " \t").lowercased())
            }
        }
        return names
    }
}
