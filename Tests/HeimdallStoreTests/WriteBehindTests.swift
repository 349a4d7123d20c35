import Foundation
import HeimdallStore
import Testing

/// The proxy's write-behind: entries served from memory at once, committed by `flush()`.
@Suite struct WriteBehindTests {
    func rows(_ path: String) throws -> Int {
        let raw = try CacheStore(path: path)
        return try raw.totals().entries
    }

    @Test func aDeferredInsertIsServedAtOnceAndCommittedByFlush() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "e1", body: realisticBody), durability: .deferred)
        #expect(store.hasPendingWork)
        #expect(try store.lookup(directKey: "k1")?.body == Array(realisticBody.utf8))
        #expect(try rows(dir.path("c.sqlite")) == 0, "not in SQLite before the flush")
        try store.flush()
        #expect(!store.hasPendingWork)
        let reopened = try CacheStore(path: dir.path("c.sqlite"))
        let hit = try #require(try reopened.lookup(directKey: "k1"))
        #expect(hit.body == Array(realisticBody.utf8))
        #expect(hit.hits == 2, "the first store's hit was committed with the flush, this one counts too")
    }

    @Test func deletingAPendingEntryLeavesNothingBehind() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "e1", body: "{}"), durability: .deferred)
        #expect(try store.delete(id: "e1"))
        #expect(try store.lookup(directKey: "k1") == nil)
        try store.flush()
        #expect(try rows(dir.path("c.sqlite")) == 0)
    }

    @Test func aNewerWriteForTheSameKeyReplacesAPendingOne() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "old", body: "{\"v\":1}"), durability: .deferred)
        let result = try store.insert(makeEntry(id: "new", body: "{\"v\":2}"), durability: .deferred)
        #expect(result.replacedID == "old")
        try store.flush()
        let reopened = try CacheStore(path: dir.path("c.sqlite"))
        #expect(try reopened.lookup(directKey: "k1")?.id == "new")
        #expect(try reopened.entry(id: "old") == nil)
    }

    @Test func theMemoryBudgetNeverDropsAnUncommittedEntry() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"), memoryBytes: 16 * 1024)
        for i in 0..<40 {
            try store.insert(makeEntry(id: "e\(i)", key: "k\(i)", body: realisticBody), durability: .deferred)
        }
        for i in 0..<40 { #expect(try store.lookup(directKey: "k\(i)") != nil, "k\(i) served before its commit") }
        try store.flush()
        for i in 0..<40 { #expect(try store.lookup(directKey: "k\(i)") != nil, "k\(i) read back from SQLite") }
        #expect(try store.totals().entries == 40)
    }

    @Test func expiredEntriesAreNotServedFromMemory() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try CacheStore(path: dir.path("c.sqlite"), clock: clock.cacheClock)
        try store.insert(makeEntry(id: "e1", body: "{}", ttl: 10), durability: .deferred)
        clock.advance(by: 11)
        #expect(try store.lookup(directKey: "k1") == nil)
    }
}
