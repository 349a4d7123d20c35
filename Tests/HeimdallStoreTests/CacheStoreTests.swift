import Foundation
import Testing

@testable import HeimdallStore

@Suite struct CacheStoreTests {
    @Test func roundTripsBodiesCompressed() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        let stored = try store.insert(makeEntry(id: "e1", body: realisticBody)).storedSize
        #expect(stored < realisticBody.utf8.count / 2, "compressed \(stored) of \(realisticBody.utf8.count)")
        let hit = try #require(try store.lookup(directKey: "k1"))
        #expect(hit.id == "e1")
        #expect(hit.body == Array(realisticBody.utf8))
        #expect(hit.status == 200)
        #expect(hit.headers.first?.value == "application/json")
        #expect(hit.hits == 1)
        #expect(try store.lookup(directKey: "k1")?.hits == 2)
        #expect(try store.lookup(directKey: "other") == nil)
        let totals = try store.totals()
        #expect(totals.entries == 1 && totals.rawBytes == realisticBody.utf8.count && totals.storedBytes == stored)
        #expect(totals.databaseBytes > 0)
    }

    @Test func emptyBodiesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(body: ""))
        #expect(try store.lookup(directKey: "k1")?.body == [])
    }

    @Test func ttlIsHonouredOnReadAndSweptLater() throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try CacheStore(path: dir.path("c.sqlite"), clock: clock.cacheClock)
        try store.insert(makeEntry(id: "short", key: "a", body: "{}", ttl: 30))
        try store.insert(makeEntry(id: "long", key: "b", body: "{}", ttl: 300))
        clock.advance(by: 29)
        #expect(try store.lookup(directKey: "a") != nil)
        clock.advance(by: 2)
        #expect(try store.lookup(directKey: "a") == nil, "expired entries are never served")
        #expect(try store.entry(id: "short") != nil, "but stay until swept")
        #expect(try store.deleteExpired() == ["short"])
        #expect(try store.entry(id: "short") == nil)
        #expect(try store.lookup(directKey: "b") != nil)
    }

    @Test func sameDirectKeyReplacesTheOldEntry() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "old", body: "{\"v\":1}"))
        try store.insert(makeEntry(id: "new", body: "{\"v\":2}"))
        #expect(try store.lookup(directKey: "k1")?.id == "new")
        #expect(try store.totals().entries == 1)
    }

    @Test func deletesByIdKeyAndAll() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "a", key: "1", cacheKey: "x", body: "{}"))
        try store.insert(makeEntry(id: "b", key: "2", cacheKey: "x", body: "{}"))
        try store.insert(makeEntry(id: "c", key: "3", cacheKey: "y", body: "{}"))
        #expect(try store.delete(id: "a"))
        #expect(try !store.delete(id: "a"))
        #expect(try store.deleteAll(cacheKey: "x") == ["b"])
        #expect(try store.totals().entries == 1)
        #expect(try store.deleteAll() == ["c"])
        #expect(try store.totals().entries == 0)
    }

    @Test func entriesSurviveReopeningTheFile() throws {
        let dir = try TemporaryDirectory()
        do {
            let store = try CacheStore(path: dir.path("c.sqlite"))
            try store.insert(makeEntry(id: "persisted", body: realisticBody))
        }
        let reopened = try CacheStore(path: dir.path("c.sqlite"))
        #expect(try reopened.lookup(directKey: "k1")?.id == "persisted")
        #expect(try reopened.lookup(directKey: "k1")?.body == Array(realisticBody.utf8))
    }

    @Test func usesWriteAheadLogging() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(body: "{}"))
        #expect(FileManager.default.fileExists(atPath: dir.path("c.sqlite-wal")))
    }

    @Test func aDamagedBodyIsAnErrorNotATruncatedAnswer() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "e", body: realisticBody))
        let raw = try SQLiteConnection(path: dir.path("c.sqlite"))
        try raw.execute("UPDATE entries SET body = substr(body, 1, 40) WHERE id = 'e'")
        // This store still holds the intact copy it wrote; a fresh one must read the damaged row.
        #expect(try store.lookup(directKey: "k1")?.body == Array(realisticBody.utf8))
        let reopened = try CacheStore(path: dir.path("c.sqlite"))
        #expect(throws: StoreError.self) { try reopened.lookup(directKey: "k1") }
    }

    @Test func readsNeverPinASnapshotThatBlocksTheCheckpoint() throws {
        let dir = try TemporaryDirectory()
        let store = try CacheStore(path: dir.path("c.sqlite"))
        try store.insert(makeEntry(id: "e", body: realisticBody))
        _ = try store.entry(id: "e")
        _ = try store.totals()
        _ = try store.lookup(directKey: "k1")
        try store.checkpoint()
        let wal = try FileManager.default.attributesOfItem(atPath: dir.path("c.sqlite-wal"))[.size] as? Int
        #expect(wal == 0)
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let dir = try TemporaryDirectory()
        do {
            let raw = try SQLiteConnection(path: dir.path("c.sqlite"))
            try raw.execute("PRAGMA user_version = 99")
        }
        #expect(throws: StoreError.self) { try CacheStore(path: dir.path("c.sqlite")) }
    }

    @Test func unopenablePathIsAClearError() {
        #expect {
            try CacheStore(path: "/nonexistent-dir/sub/c.sqlite")
        } throws: { error in
            "\(error)".contains("/nonexistent-dir/sub/c.sqlite")
        }
    }

    @Test func compressionRatioOnRealisticBodies() throws {
        let codec = try ZlibCodec(level: 6)
        let input = Array(realisticBody.utf8)
        let compressed = try codec.compress(input)
        #expect(try codec.decompress(compressed, expectedSize: input.count) == input)
        #expect(throws: StoreError.self) { try codec.decompress(compressed, expectedSize: input.count + 1) }
        #expect(throws: StoreError.self) { try codec.decompress(Array(compressed.prefix(10)), expectedSize: input.count) }
    }
}
