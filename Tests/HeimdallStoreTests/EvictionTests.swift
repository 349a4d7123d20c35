import Foundation
import HeimdallCore
import Testing

@testable import HeimdallStore

/// `max_entries` and `max_db_bytes` (docs/behaviour.md §5): past a limit, least-recently-used entries go,
/// in the insert's transaction, and their space is given back to the file system.
@Suite struct EvictionTests {
    @Test func pastMaxEntriesTheLeastRecentlyUsedEntryGoes() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try CacheStore(path: dir.path("c.sqlite"), limits: StoreLimits(maxEntries: 10), clock: clock.cacheClock)
        for i in 0..<10 {
            let result = try store.insert(makeEntry(id: "e\(i)", key: "k\(i)", body: "{\"i\":\(i)}", ttl: 3600))
            #expect(result.evictedIDs.isEmpty)
            clock.advance(by: 1)
        }
        #expect(try store.lookup(directKey: "k0") != nil, "a hit makes e0 the most recently used")
        clock.advance(by: 1)
        let result = try store.insert(makeEntry(id: "e10", key: "k10", body: "{}", ttl: 3600))
        #expect(result.evictedIDs == ["e1"])
        #expect(result.removedIDs == ["e1"])
        #expect(store.counters.evictions == 1)
        #expect(try store.totals().entries == 10)
        #expect(try store.entry(id: "e1") == nil)
        #expect(try store.entry(id: "e0") != nil)
        #expect(try store.entry(id: "e10") != nil)
    }

    @Test func expiredEntriesAreEvictedBeforeLiveOnes() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try CacheStore(path: dir.path("c.sqlite"), limits: StoreLimits(maxEntries: 3), clock: clock.cacheClock)
        try store.insert(makeEntry(id: "old-live", key: "a", body: "{}", ttl: 3600))
        clock.advance(by: 1)
        try store.insert(makeEntry(id: "short-1", key: "b", body: "{}", ttl: 5))
        try store.insert(makeEntry(id: "short-2", key: "c", body: "{}", ttl: 5))
        clock.advance(by: 10)
        let result = try store.insert(makeEntry(id: "new", key: "d", body: "{}", ttl: 3600))
        #expect(result.evictedIDs == ["short-1", "short-2"])
        #expect(store.counters.expirations == 2)
        #expect(store.counters.evictions == 0)
        #expect(try store.entry(id: "old-live") != nil)
    }

    @Test func replacingAnEntryDoesNotCountTwice() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"), limits: StoreLimits(maxEntries: 2))
        try store.insert(makeEntry(id: "a", key: "1", body: "{}"))
        try store.insert(makeEntry(id: "b", key: "2", body: "{}"))
        let replaced = try store.insert(makeEntry(id: "b2", key: "2", body: "{}"))
        #expect(replaced.replacedID == "b")
        #expect(replaced.evictedIDs.isEmpty)
        #expect(try store.totals().entries == 2)
    }

    @Test func deletionsByAnotherConnectionAreRecountedBeforeEvicting() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"), limits: StoreLimits(maxEntries: 3))
        for i in 0..<3 { try store.insert(makeEntry(id: "e\(i)", key: "k\(i)", body: "{}")) }
        let other = try CacheStore(path: dir.path("c.sqlite"))  // e.g. `heimdall purge`
        try other.deleteAll()
        let result = try store.insert(makeEntry(id: "e3", key: "k3", body: "{}"))
        #expect(result.evictedIDs.isEmpty)
        #expect(try store.totals().entries == 1)
    }

    @Test func pastMaxDatabaseBytesOldEntriesGoAndTheFileShrinks() throws {
        let dir = try TemporaryDirectory()
        let limit = 1024 * 1024
        let clock = ManualClock()
        let store = try CacheStore(
            path: dir.path("c.sqlite"), compressionLevel: 1, limits: StoreLimits(maxDatabaseBytes: limit), clock: clock.cacheClock)
        var generator = SplitMix64(seed: 7)
        var evictingInserts: [Duration] = []
        var plainInserts: [Duration] = []
        for i in 0..<1500 {
            // ~3 KB of hex digits: compresses to roughly half, like a JSON body with ids and numbers.
            let hex = Array("0123456789abcdef".utf8)
            let digits = (0..<3000).map { _ in hex[Int(generator.next() % 16)] }
            let body = "{\"i\":\(i),\"x\":\"" + String(decoding: digits, as: UTF8.self) + "\"}"
            let started = ContinuousClock.now
            let result = try store.insert(makeEntry(id: "e\(i)", key: "k\(i)", body: body, ttl: 3600))
            (result.evictedIDs.isEmpty ? { plainInserts.append($0) } : { evictingInserts.append($0) })(ContinuousClock.now - started)
            #expect(!result.evictedIDs.contains("e\(i)"), "the new entry is never its own victim")
            clock.advance(by: 1)
        }
        let totals = try store.totals()
        #expect(totals.databaseBytes <= limit, "pages in the file after incremental vacuum: \(totals.databaseBytes)")
        #expect(store.counters.evictions > 1000)
        #expect(try store.entry(id: "e1499") != nil)
        #expect(try store.entry(id: "e0") == nil)
        #expect(totals.entries + store.counters.evictions == 1500)
        try store.checkpoint()
        let fileSize = try FileManager.default.attributesOfItem(atPath: dir.path("c.sqlite"))[.size] as? Int ?? 0
        #expect(fileSize <= limit, "the main file itself shrank: \(fileSize) bytes")
        func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
        print(
            "eviction cost: \(plainInserts.count) plain inserts median \(median(plainInserts)), "
                + "\(evictingInserts.count) evicting inserts median \(median(evictingInserts)) max \(evictingInserts.max()!), "
                + "\(store.counters.evictions) evicted, \(totals.entries) kept, file \(fileSize) B")
    }

    @Test func anOlderFileIsConvertedToIncrementalVacuumAndKeepsItsEntries() throws {
        let dir = try TemporaryDirectory()
        do {
            // A database as the first two schema versions left it: no recency index, auto_vacuum off.
            let raw = try SQLiteConnection(path: dir.path("c.sqlite"))
            try raw.execute("PRAGMA journal_mode=WAL")
            for step in Migrations.steps.prefix(2) { try raw.execute(step.sql) }
            try raw.execute("PRAGMA user_version = 2")
            try raw.execute(
                """
                INSERT INTO entries (id, direct_key, partition_key, cache_key, tenant, route, status, headers, body, raw_size,
                    stored_size, created, expires) VALUES ('kept', 'k', 'p', 'default', 't', 'chat', 200, X'5B5D', X'', 0, 0, 1, 9e18)
                """)
            #expect(try Self.pragma("auto_vacuum", raw) == 0)
        }
        let store = try CacheStore(path: dir.path("c.sqlite"))
        #expect(try store.lookup(directKey: "k")?.id == "kept")
        let raw = try SQLiteConnection(path: dir.path("c.sqlite"))
        #expect(try Self.pragma("auto_vacuum", raw) == 2)
        #expect(try Self.pragma("user_version", raw) == Migrations.steps.count)
    }

    @Test func newFilesStartWithIncrementalVacuum() throws {
        let dir = try TemporaryDirectory()
        _ = try CacheStore(path: dir.path("c.sqlite"))
        #expect(try Self.pragma("auto_vacuum", SQLiteConnection(path: dir.path("c.sqlite"))) == 2)
    }

    static func pragma(_ name: String, _ connection: SQLiteConnection) throws -> Int {
        let statement = try connection.statement("PRAGMA \(name)")
        try statement.step()
        return statement.int(0)
    }
}
