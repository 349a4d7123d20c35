import NIOHTTP1
import Testing

@testable import HeimdallProxy

/// RFC 9110 §7.6.1, for both header representations the proxy handles.
@Suite struct HopByHopHeadersTests {
    @Test func dropsTheFixedSetAndConnectionNamedHeaders() {
        let dropped = HopByHopHeaders.dropped(connectionValues: ["keep-alive, X-Private-Hop", " Upgrade "])
        #expect(dropped.isSuperset(of: ["connection", "keep-alive", "transfer-encoding", "te", "x-private-hop", "upgrade"]))
        #expect(!dropped.contains("authorization"))
    }

    @Test func relayedResponseHeadersKeepEverythingElse() {
        var upstream = HTTPHeaders()
        upstream.add(name: "Content-Type", value: "application/json")
        upstream.add(name: "Connection", value: "close, X-Private-Hop")
        upstream.add(name: "X-Private-Hop", value: "1")
        upstream.add(name: "Transfer-Encoding", value: "chunked")
        upstream.add(name: "X-Request-Id", value: "abc")
        let relayed = UpstreamClient.relayedHeaders(upstream, dropping: ["x-request-id"])
        #expect(relayed.map(\.name.canonicalName) == ["content-type"])
        #expect(UpstreamClient.relayedHeaders(upstream).map(\.name.canonicalName) == ["content-type", "x-request-id"])
    }
}
