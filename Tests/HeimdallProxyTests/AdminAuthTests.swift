import Foundation
import HeimdallCore
import HeimdallProxy
import Logging
import Testing

/// Admin auth (docs/behaviour.md §5): loopback without a token; with one, every call needs it.
@Suite struct AdminAuthTests {
    static let token = "adm-7c1f0e9b2d4a"

    @Test func everyAdminCallNeedsTheBearerToken() async throws {
        try await ProxyHarness.with(configure: { $0.adminToken = AdminToken(Self.token) }) { proxy in
            _ = try await proxy.chat("guarded")
            for target in ["/stats", "/metrics", "/entries", "/healthz", "/readyz"] {
                let denied = try await proxy.admin(target)
                #expect(denied.status == 401, "\(target)")
                #expect(denied.json?["error"]?["type"] == .string("authentication_error"), "\(target)")
                #expect(denied.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
                #expect(try await proxy.admin(target, token: "wrong-token").status == 401, "\(target)")
                #expect(try await proxy.admin(target, token: Self.token + "x").status == 401, "\(target)")
                #expect(try await proxy.admin(target, token: String(Self.token.dropLast())).status == 401, "\(target)")
                #expect(try await proxy.admin(target, token: Self.token).status == 200, "\(target)")
            }
            #expect(try await proxy.admin("/entries", method: .DELETE).status == 401)
            #expect(try await proxy.stats(token: Self.token).store.entries == 1, "nothing was deleted")
            #expect(try await proxy.admin("/api/cache/clear-by-key/default", method: .DELETE).status == 401)
            let page = try await proxy.admin("/")
            #expect(page.status == 200, "the dashboard shell holds no data; its script sends the token")
            #expect(!page.text.contains(Self.token))
            // The proxy listener is not the admin listener: its callers' credentials are theirs.
            #expect(try await proxy.chat("guarded").outcome == "hit-direct")
        }
    }

    @Test func nonLoopbackAdminNeedsAToken() async throws {
        var configuration = HeimdallConfiguration()
        configuration.admin = HostAndPort(host: "0.0.0.0", port: 0)
        configuration.db = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-auth-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: configuration.db) }
        #expect(throws: ConfigurationError.self) { try HeimdallServer(configuration: configuration, logger: Logger(label: "test")) }

        try await ProxyHarness.with(configure: {
            $0.admin = HostAndPort(host: "0.0.0.0", port: 0)
            $0.adminToken = AdminToken(Self.token)
        }) { proxy in
            let port = try #require(proxy.adminURL.split(separator: ":").last)
            #expect(try await proxy.admin("/healthz").status == 401)
            let health = try await proxy.send(
                "/healthz", method: .GET, headers: [("authorization", "Bearer \(Self.token)")], base: "http://127.0.0.1:\(port)")
            #expect(health.status == 200)
        }
    }

    @Test func theTokenNeverPrints() {
        var configuration = HeimdallConfiguration()
        configuration.adminToken = AdminToken(Self.token)
        #expect(!"\(configuration)".contains(Self.token))
        #expect(!String(reflecting: configuration).contains(Self.token))
    }
}
