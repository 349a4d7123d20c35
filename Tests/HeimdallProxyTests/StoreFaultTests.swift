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
        configuration.embedder = "hashed"
        let error = #expect(throws: StoreError.self) {
            try HeimdallServer(configuration: configuration, logger: .init(label: "test"))
        }
        let message = error?.description ?? ""
        #expect(message.contains(fs.databasePath), "names the file: \(message)")
        #expect(message.contains("writable"), "says what to do: \(message)")
    }

    /// Another process holds the write lock past SQLite's busy timeout (5 s): the write fails, the
    /// client gets the upstream's answer all the same, and the next write after the lock is gone
    /// is stored. (A read-only remount cannot be tried while the proxy runs: Linux refuses to
    /// remount a file system read-only while a file on it is open for writing.)
    @Test func aDatabaseLockedPastItsTimeoutStillAnswersAndRecovers() async throws {
        try await ProxyHarness.with { proxy in
            let before = try await proxy.chat("stored before the lock")
            let storedID = try #require(before.cacheDebug?["cache_id"]?.stringValue)
            let locker = try DatabaseLocker(path: proxy.databasePath)
            let started = ContinuousClock.now
            let locked = try await proxy.chat("asked while another process holds the lock")
            #expect(locked.status == 200)
            #expect(locked.outcome == "miss")
            #expect(locked.answerText?.contains("holds the lock") == true)
            #expect(locked.cacheDebug?["cache_id"] == nil, "not stored, so not named")
            #expect(ContinuousClock.now - started < .seconds(20))
            // Reads go on under the lock (WAL): the earlier entry is still served.
            let old = try await proxy.chat("stored before the lock")
            #expect(old.outcome == "hit-direct")
            #expect(old.cacheDebug?["cache_id"]?.stringValue == storedID)
            let stats = try #require(try await proxy.admin("/stats").json)
            #expect(stats["store_health"]?["status"]?.stringValue == "degraded")
            #expect((stats["store_health"]?["write_failures"]?.doubleValue ?? 0) >= 1)
            #expect(stats["store_health"]?["last_error"]?.stringValue?.contains("locked") == true)

            locker.release()
            let fresh = try await proxy.chat("asked once the lock is gone")
            let freshID = try #require(fresh.cacheDebug?["cache_id"]?.stringValue, "stored again")
            let repeated = try await proxy.chat("asked once the lock is gone")
            #expect(repeated.outcome == "hit-direct")
            #expect(repeated.cacheDebug?["cache_id"]?.stringValue == freshID)
            #expect(try await proxy.admin("/stats").json?["store_health"]?["status"]?.stringValue == "ok")
        }
    }
}

/// A second process (Python's sqlite3) holding a database's write lock until released or 60 s pass.
final class DatabaseLocker: Sendable {
    private let process: Process
    /// Closing it ends the locker (a signal might reach only a launcher script, e.g. a pyenv shim).
    private let input = Pipe()

    init(path: String) throws {
        let script = """
            import signal, sqlite3, sys
            signal.alarm(60)
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            c.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = input
        try process.run()
        // Wait for the lock to be held before the test goes on.
        let line = pipe.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).hasPrefix("locked") else {
            process.terminate()
            throw TinyFileSystem.SetupFailed(description: "could not lock \(path) from a second process")
        }
    }

    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }
}

extension TestResponse {
    /// The assistant's text of a chat completion.
    var answerText: String? { json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue }
}
