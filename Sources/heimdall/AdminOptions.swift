import ArgumentParser
import Foundation

/// Where a running Heimdall's admin API is and how to authenticate to it (`stats`, `purge`).
struct AdminOptions: ParsableArguments {
    @Option(
        name: .customLong("admin"),
        help: "Admin API: URL or host:port (default: $HEIMDALL_ADMIN, else http://127.0.0.1:8089).")
    var admin: String?

    @Option(
        name: .customLong("admin-token"),
        help: "Bearer token for an admin listener with admin_token set (default: $HEIMDALL_ADMIN_TOKEN).")
    var adminToken: String?

    func client(environment: [String: String] = ProcessInfo.processInfo.environment) -> AdminClient {
        let address = admin ?? environment["HEIMDALL_ADMIN"] ?? "127.0.0.1:8089"
        var base = address.contains("://") ? address : "http://" + address
        while base.hasSuffix("/") { base.removeLast() }
        let token = adminToken ?? environment["HEIMDALL_ADMIN_TOKEN"]
        return AdminClient(base: base, token: token?.isEmpty == false ? token : nil)
    }
}
