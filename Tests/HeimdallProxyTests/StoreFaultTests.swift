import Foundation
import HeimdallCore
import HeimdallProxy
import HeimdallStore
import Testing

/// A cache that cannot write must still answer: a full disk or a read-only database costs no client
/// the upstream's answer, and /stats, /metrics and /readyz keep answering (docs/reliability.md).
/// The faults are real: the database lives on a tmpfs of a few hundred KiB.
@Suite(.serialized, .enabled(if: TinyFileSystem.isAvailable, "mounting a tmpfs needs root (CI runs as root)"))
struct StoreFaultTests {
    /// A prompt long enough that a few hundred distinct answers fill 600 KiB.
    static func prompt(_ i: Int) -> String {
        "Question \(i): " + String(repeating: "please explain the storage of cached answers \(i * 7919) ", count: 6)
    }

    @Test func aFullDiskCostsNoClientItsAnswer() async throws {
        let fs = try TinyFileSystem(kilobytes: 600)
        defer { fs.unmount() }
        try await ProxyHarness.with(directory: fs.directory) { proxy in
            var named: [(prompt: String, id: String)] = []
            var unnamed = 0
            for i in 0..<300 {
                let response = try await proxy.chat(Self.prompt(i))
                #expect(response.status == 200, "request \(i): \(response.text.prefix(200))")
                #expect(response.outcome == "miss", "request \(i)")
                let content = response.answerText ?? ""
                #expect(content.contains("Question \(i):"), "request \(i) got the upstream's answer")
                #expect(response.cacheDebug?["cache_hit"] == .bool(false))
                if let id = response.cacheDebug?["cache_id"]?.stringValue {
                    named.append((Self.prompt(i), id))
                } else {
                    unnamed += 1
                }
            }
            #expect(unnamed > 0, "the 600 KiB file system never filled up")
            #expect(!named.isEmpty)

            // Every entry a response named is really there and served.
            for (prompt, id) in named.suffix(5) {
                let again = try await proxy.chat(prompt)
                #expect(again.outcome == "hit-direct")
                #expect(again.cacheDebug?["cache_id"]?.stringValue == id)
            }

            let stats = try #require(try await proxy.admin("/stats").json, "/stats answers while the disk is full")
            #expect(stats["store_health"]?["status"]?.stringValue == "degraded")
            #expect((stats["store_health"]?["write_failures"]?.doubleValue ?? 0) >= Double(unnamed))
            #expect(stats["store_health"]?["last_error"]?.stringValue?.contains("full") == true)
            #expect(stats["requests"]?["error"]?.doubleValue == 0)
            let metrics = try await proxy.admin("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains(#"heimdall_store_failures_total{operation="write"}"#))
            #expect(metrics.text.contains("heimdall_store_degraded 1"))
            let ready = try await proxy.admin("/readyz")
            #expect(ready.status == 200)
            #expect(ready.json?["store"]?.stringValue == "degraded")

            // Space comes back: the next miss is stored and served again, and the store is healthy.
            try fs.resize(kilobytes: 16 * 1024)
            let fresh = try await proxy.chat("a question asked after space came back")
            #expect(fresh.outcome == "miss")
            let freshID = try #require(fresh.cacheDebug?["cache_id"]?.stringValue)
            let repeated = try await proxy.chat("a question asked after space came back")
            #expect(repeated.outcome == "hit-direct")
            #expect(repeated.cacheDebug?["cache_id"]?.stringValue == freshID)
            #expect(try await proxy.admin("/stats").json?["store_health"]?["status"]?.stringValue == "ok")
            #expect(try await proxy.admin("/readyz").json?["store"]?.stringValue == "ok")
        }
    }

    @Test func aFullDiskCostsNoStreamingClientItsStream() async throws {
        let fs = try TinyFileSystem(kilobytes: 600)
        defer { fs.unmount() }
        try await ProxyHarness.with(directory: fs.directory) { proxy in
            // Fill the disk with ordinary misses first.
            for i in 0..<300 { _ = try await proxy.chat(Self.prompt(i)) }
            let stream = try await proxy.chat("stream me an answer on a full disk", extra: #","stream":true"#)
            #expect(stream.status == 200)
            #expect(stream.text.contains("data: [DONE]"))
            #expect(!stream.text.contains(#""cache_id""#), "no id of an entry that was not stored")
            #expect(stream.text.contains(#""cache_debug""#))
        }
    }

    @Test func aReadOnlyDatabaseAtStartUpIsAClearError() async throws {
        let fs = try TinyFileSystem(kilobytes: 2048)
        defer { fs.unmount() }
        // A real database, made by a first run, then the file system turns read-only.
        try await ProxyHarness.with(directory: fs.directory) { proxy in
            let first = try await proxy.chat("hello")
            #expect(first.outcome == "miss")
        }
        try fs.remount(readOnly: true)
        var configuration = HeimdallConfiguration()
        configuration.db = fs.databasePath
        configuration.embedder = .hashed
        let error = #expect(throws: StoreError.self) {
            try HeimdallServer(configuration: configuration, logger: .init(label: "test"))
        }
        let message = error?.description ?? ""
        #expect(message.contains(fs.databasePath), "names the file: \(message)")
        #expect(message.contains("writable"), "says what to do: \(message)")
    }
}

extension TestResponse {
    /// The assistant's text of a chat completion.
    var answerText: String? { json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue }
}
