import Foundation
import Testing

/// A commit that cannot finish (another process holds SQLite's write lock) blocks neither the
/// hits served from memory nor the client whose write fails (docs/reliability.md).
@Suite(.serialized) struct StoreLockTests {
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

    /// Hits held in memory are answered while a commit waits on the file: the event loop never
    /// waits for SQLite, and memory is not locked across a commit.
    @Test func aDirectHitIsAnsweredWhileASlowCommitIsInProgress() async throws {
        try await ProxyHarness.with { proxy in
            _ = try await proxy.chat("held in memory")
            #expect(try await proxy.chat("held in memory").outcome == "hit-direct")
            let locker = try DatabaseLocker(path: proxy.databasePath)
            defer { locker.release() }
            // A miss whose commit waits for the lock (SQLite's busy timeout: 5 s).
            let slowMiss = Task { try await proxy.chat("a miss whose commit waits for the lock") }
            try await Task.sleep(for: .milliseconds(300))
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let hit = try await proxy.chat("held in memory")
                let elapsed = ContinuousClock.now - started
                #expect(hit.outcome == "hit-direct")
                #expect(elapsed < .seconds(1), "a memory hit waited \(elapsed) behind the commit")
            }
            let miss = try await slowMiss.value
            #expect(miss.status == 200)
            #expect(miss.outcome == "miss")
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
