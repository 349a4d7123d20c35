import Testing

/// Header sizes (docs/behaviour.md §5): Hummingbird's HTTP/1 decoder (swift-nio) allows 80 KiB per header
/// field and 80 KiB in total; past that the connection gets a `400` and is closed, the proxy lives on.
@Suite struct HeaderLimitTests {
    @Test func oneOversizedHeaderIsA400NotACrash() async throws {
        try await ProxyHarness.with { proxy in
            let big = try await proxy.chat("hello", headers: [("x-big", String(repeating: "a", count: 100 * 1024))])
            #expect(big.status == 400)
            #expect(proxy.mock.callCount() == 0, "never forwarded")
            #expect(try await proxy.chat("hello").status == 200, "the proxy is healthy afterwards")
        }
    }

    @Test func manyHeadersPastTheTotalAre400() async throws {
        try await ProxyHarness.with { proxy in
            let headers = (0..<200).map { ("x-h\($0)", String(repeating: "b", count: 500)) }  // ~100 KiB in all
            let tooMany = try await proxy.chat("hello", headers: headers)
            #expect(tooMany.status == 400)
            let health = try await proxy.get("/healthz", base: proxy.adminURL)
            #expect(health.status == 200)
        }
    }

    @Test func largeHeadersUnderTheLimitAreForwarded() async throws {
        try await ProxyHarness.with { proxy in
            let value = String(repeating: "c", count: 60 * 1024)
            let response = try await proxy.get("/v1/files", headers: [("x-large", value)])
            #expect(response.status == 200)
            #expect(proxy.mock.recordedCalls.last?.header("x-large") == value)
        }
    }
}
