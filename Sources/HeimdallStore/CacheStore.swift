import HeimdallCore
import Synchronization

/// The SQLite + zlib entry store (docs/behaviour.md §3, §5): WAL mode so a crash loses at most
/// uncommitted entries, bodies compressed, TTL honoured on every read.
///
/// One connection behind a mutex: each call is a few prepared-statement steps, far
/// shorter than an upstream round trip, so serialising them costs little and keeps
/// SQLite's threading rules out of the picture.
///
/// Locks: `recent` (memory) is only ever held for memory work, never across a SQLite call, so a
/// hit served from memory never waits behind a commit or a slow disk. `commits` serialises
/// transactions in the order their batches were taken; `state` guards the connection. Order when
/// nested: `commits`, then `state`; `recent` alone.
public final class CacheStore: Sendable {
    struct State: ~Copyable {
        var connection: SQLiteConnection
        var codec: ZlibCodec
        /// Entries in the table as this connection last knew it: exact for our own writes,
        /// recounted before any eviction acts on it (another process may have deleted some).
        var entryCount: Int
    }

    let state: Mutex<State>
    /// Held and pending entries; never held while SQLite works.
    private let recent: Mutex<RecentEntries>
    /// Held for a whole commit (batch taken, written, settled in memory), so batches reach the
    /// file in the order they were taken: a newer entry for a key is never overwritten by an older.
    private let commits = Mutex(())
    /// Compression runs outside the SQLite lock so lookups never wait behind a deflate.
    private let compressor: Mutex<ZlibCodec>
    public let path: String
    public let clock: CacheClock
    public let limits: StoreLimits
    /// Entries removed by TTL sweeps and by size limits since this store was opened.
    public let counters = StoreCounters()

    /// Whether an insert is committed before it returns, or queued for `flush()` (the proxy's
    /// write-behind: the entry is served from memory at once; a crash loses at most the queue).
    public enum Durability: Sendable {
        case immediate
        case deferred
    }

    /// - Parameter memoryBytes: budget for entries held in memory (recent writes and reads).
    public init(
        path: String, compressionLevel: Int = 6, limits: StoreLimits = .unlimited, clock: CacheClock = .system,
        memoryBytes: Int = 64 << 20
    ) throws(StoreError) {
        let connection: SQLiteConnection
        let entryCount: Int
        do {
            connection = try SQLiteConnection(path: path)
            // SQLite opens a file it may not write read-only without a word; a cache must write.
            if connection.isReadOnly { throw StoreError("the file is read-only") }
            // Only takes effect before the first table exists; older files are converted by a migration.
            try connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
            // WAL + NORMAL: commits are atomic and survive a process crash (kill -9); only an OS
            // crash can lose the last commits, never corrupt the file.
            try connection.execute("PRAGMA journal_mode=WAL")
            try connection.execute("PRAGMA synchronous=NORMAL")
            try connection.execute("PRAGMA foreign_keys=ON")
            // The WAL is truncated back to this size after each checkpoint instead of keeping its peak size.
            try connection.execute("PRAGMA journal_size_limit=\(Self.walSizeLimit)")
            try Migrations.run(on: connection)
            entryCount = try Self.count(on: connection)
        } catch {
            throw StoreError(
                "cannot use the cache database \(path): \(error). Heimdall reads and writes it and creates \(path)-wal "
                    + "and \(path)-shm beside it: make the file and its folder writable, free some space, or point "
                    + "--db (HEIMDALL_DB) at another path")
        }
        let codec = try ZlibCodec(level: compressionLevel)
        self.state = Mutex(State(connection: connection, codec: codec, entryCount: entryCount))
        self.limits = limits
        self.compressor = Mutex(try ZlibCodec(level: compressionLevel))
        self.recent = Mutex(RecentEntries(capacity: memoryBytes))
        self.path = path
        self.clock = clock
    }

    static let walSizeLimit = 16 * 1024 * 1024

    /// The expression the recency index is built on (Migrations): last hit, else creation time.
    static let recency = "coalesce(last_hit, created)"

    static let columns =
        "id, status, headers, body, raw_size, stored_size, is_stream, created, expires, hits, prompt, prompt_tokens, completion_tokens"

    /// What an insert did: the stored (compressed) size, and the entry it replaced, if any
    /// (same direct key), so callers can drop that id from their indexes.
    public struct InsertResult: Sendable {
        /// The entry as it is served from now on.
        public var stored: StoredResponse
        public var storedSize: Int
        public var replacedID: String?
        /// Entries evicted to stay within the limits (immediate inserts; deferred ones evict at `flush()`).
        public var evictedIDs: [String] = []

        /// Every id that is no longer in the store because of this insert.
        public var removedIDs: [String] { (replacedID.map { [$0] } ?? []) + evictedIDs }
    }

    /// Stores `entry`, replacing any entry with the same direct key. It is served at once either way;
    /// `.deferred` leaves the commit to the next `flush()`.
    @discardableResult
    public func insert(_ entry: CacheEntry, durability: Durability = .immediate) throws(StoreError) -> InsertResult {
        let now = clock.now()
        let compressed =
            entry.body.isEmpty
            ? [] : try compressor.withLock { (codec: inout ZlibCodec) throws(StoreError) -> [UInt8] in try codec.compress(entry.body) }
        let write = RecentEntries.PendingWrite(entry: entry, compressed: compressed, created: now, expires: now + entry.ttlSeconds)
        let response = StoredResponse(
            id: entry.id, status: entry.status, headers: entry.headers, body: entry.body, isStream: entry.isStream,
            created: now, expires: write.expires, hits: 0, rawSize: entry.body.count, storedSize: compressed.count,
            prompt: entry.prompt, promptTokens: entry.promptTokens, completionTokens: entry.completionTokens)
        // An entry for the same key still waiting in memory is replaced too, and never written.
        let held = recent.withLock { (recent: inout RecentEntries) -> String? in
            let held = recent.byKey[entry.directKey].map(\.response.id).flatMap { $0 == entry.id ? nil : $0 }
            if let held { recent.pendingWrites[held] = nil }
            // Pending (or committing) first: holding may shrink the memory budget, which spares them.
            switch durability {
            case .immediate: recent.committing[entry.id] = write
            case .deferred: recent.pendingWrites[entry.id] = write
            }
            recent.hold(response, directKey: entry.directKey)
            return held
        }
        switch durability {
        case .immediate:
            // Commits everything queued with it, hit counts included, so eviction sees the latest
            // recency; the commit reports the row it replaced.
            let committed = try commitPending(adding: write)
            let replaced = committed.replaced[entry.id] ?? held
            return InsertResult(
                stored: response, storedSize: compressed.count, replacedID: replaced == entry.id ? nil : replaced,
                evictedIDs: committed.evicted.sorted())
        case .deferred:
            let replaced =
                try state.withLock { (state: inout State) throws(StoreError) -> String? in
                    try Self.existingID(directKey: entry.directKey, on: state.connection)
                } ?? held
            return InsertResult(stored: response, storedSize: compressed.count, replacedID: replaced == entry.id ? nil : replaced)
        }
    }

    static func existingID(directKey: String, on connection: SQLiteConnection) throws(StoreError) -> String? {
        let existing = try connection.statement("SELECT id FROM entries WHERE direct_key = ?")
        existing.bind(1, directKey)
        defer { existing.reset() }
        return try existing.step() ? existing.string(0) : nil
    }

    /// Writes one entry inside the caller's transaction; returns the id it replaced.
    static func write(_ write: RecentEntries.PendingWrite, on connection: SQLiteConnection) throws(StoreError) -> String? {
        let entry = write.entry
        let replaced = try existingID(directKey: entry.directKey, on: connection)
        let statement = try connection.statement(
            """
            INSERT OR REPLACE INTO entries (id, direct_key, partition_key, cache_key, tenant, route, provider, model,
                status, headers, body, raw_size, stored_size, is_stream, prompt_tokens, completion_tokens, created, expires,
                embedding, embedding_model, prompt, job_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement.bind(1, entry.id)
        statement.bind(2, entry.directKey)
        statement.bind(3, entry.partitionKey)
        statement.bind(4, entry.cacheKey)
        statement.bind(5, entry.tenant)
        statement.bind(6, entry.route)
        statement.bind(7, entry.provider)
        statement.bind(8, entry.model)
        statement.bind(9, entry.status)
        statement.bind(10, blob: HeaderCoding.encode(entry.headers))
        statement.bind(11, blob: write.compressed)
        statement.bind(12, entry.body.count)
        statement.bind(13, write.compressed.count)
        statement.bind(14, entry.isStream ? 1 : 0)
        if let tokens = entry.promptTokens { statement.bind(15, tokens) } else { statement.bind(15, nil as String?) }
        if let tokens = entry.completionTokens { statement.bind(16, tokens) } else { statement.bind(16, nil as String?) }
        statement.bind(17, write.created)
        statement.bind(18, write.expires)
        statement.bind(19, blob: entry.embedding.map(EmbeddingCoding.encode))
        statement.bind(20, entry.embeddingModel)
        statement.bind(21, entry.prompt)
        statement.bind(22, entry.jobID)
        try statement.step()
        return replaced
    }

    /// Commits queued writes and hit counts in one transaction, evicting past the limits; returns
    /// the ids evicted (callers drop them from their indexes). Cheap when nothing is queued.
    @discardableResult
    public func flush() throws(StoreError) -> [String] {
        try commitPending(adding: nil).evicted
    }

    /// `flush()`, unless a commit is under way (then nothing, at once): for background ticks and
    /// readers that must not wait behind a slow disk. What is queued goes with the next commit.
    @discardableResult
    public func flushIfIdle() throws(StoreError) -> [String] {
        try commitPending(adding: nil, waiting: false)?.evicted ?? []
    }

    /// Whether `flush()` has anything to do.
    public var hasPendingWork: Bool {
        recent.withLock { !$0.pendingWrites.isEmpty || !$0.pendingHits.isEmpty }
    }

    /// What a commit did: for each written id, the row it replaced; and the ids evicted.
    struct Committed {
        var replaced: [String: String] = [:]
        var evicted: [String] = []
    }

    /// Takes the queue (plus `own`, an immediate insert already marked as committing) and commits
    /// it. Memory is locked only to take the batch and to settle it afterwards.
    private func commitPending(adding own: RecentEntries.PendingWrite?) throws(StoreError) -> Committed {
        try commits.withLock { (_: inout Void) throws(StoreError) -> Committed in try commitPendingLocked(adding: own) }
    }

    private func commitPending(adding own: RecentEntries.PendingWrite?, waiting: Bool) throws(StoreError) -> Committed? {
        if waiting { return try commitPending(adding: own) }
        return try commits.withLockIfAvailable { (_: inout Void) throws(StoreError) -> Committed in
            try commitPendingLocked(adding: own)
        }
    }

    /// The body of a commit; the caller holds `commits`.
    private func commitPendingLocked(adding own: RecentEntries.PendingWrite?) throws(StoreError) -> Committed {
        let batch = recent.withLock { $0.takePending(adding: own) }
        guard !batch.writes.isEmpty || !batch.hits.isEmpty else { return Committed() }
        do {
            let committed = try state.withLock { (state: inout State) throws(StoreError) -> Committed in
                try commit(batch.writes, hits: batch.hits, state: &state)
            }
            recent.withLock { $0.settle(batch, evicted: committed.evicted) }
            return committed
        } catch {
            // The transaction rolled back (disk full, read-only file, I/O error, busy past the
            // timeout). What it held is dropped rather than retried: a cache loses entries, it
            // never serves one from memory that the file does not have, and a full disk does
            // not make the queue grow with every request.
            recent.withLock { $0.abandon(batch) }
            throw error
        }
    }

    /// Writes entries and hit counts in one transaction, then evicts least recently used entries
    /// (never one just written) while a limit is exceeded.
    private func commit(
        _ writes: [RecentEntries.PendingWrite], hits: [String: RecentEntries.PendingHit], state: inout State
    ) throws(StoreError) -> Committed {
        let connection = state.connection
        let limits = self.limits
        let counters = self.counters
        let now = clock.now()
        var entryCount = state.entryCount
        let result = try connection.transaction { () throws(StoreError) -> Committed in
            var committed = Committed()
            for write in writes {
                if let old = try Self.write(write, on: connection) {
                    committed.replaced[write.entry.id] = old
                } else {
                    entryCount += 1
                }
            }
            for (id, hit) in hits {
                let statement = try connection.statement(
                    "UPDATE entries SET hits = hits + ?, last_hit = max(coalesce(last_hit, 0), ?) WHERE id = ?")
                statement.bind(1, hit.count)
                statement.bind(2, hit.last)
                statement.bind(3, id)
                try statement.step()
            }
            committed.evicted = try Self.evict(
                on: connection, limits: limits, entryCount: &entryCount, keeping: writes.last?.entry.id ?? "", now: now,
                counters: counters)
            return committed
        }
        state.entryCount = entryCount
        // Space reclaim is best effort: the entries are gone either way.
        if !result.evicted.isEmpty { try? Self.reclaimSpace(on: connection) }
        return result
    }

    /// Brings the store back within `limits` after a write: expired entries go first, then
    /// the least recently used, down to 1% under the limit. Runs inside the write's transaction.
    static func evict(
        on connection: SQLiteConnection, limits: StoreLimits, entryCount: inout Int, keeping keep: String, now: Double,
        counters: StoreCounters
    ) throws(StoreError) -> [String] {
        let overEntries = limits.maxEntries > 0 && entryCount > limits.maxEntries
        var overBytes = false
        if limits.maxDatabaseBytes > 0 { overBytes = try usedBytes(on: connection) > limits.maxDatabaseBytes }
        guard overEntries || overBytes else { return [] }

        let expired = try deleteIDs(on: connection, "DELETE FROM entries WHERE expires <= ? AND id != ? RETURNING id") {
            $0.bind(1, now)
            $0.bind(2, keep)
        }
        counters.countExpired(expired.count)
        var removed = expired
        entryCount = try count(on: connection)

        if limits.maxEntries > 0, entryCount > limits.maxEntries {
            let ids = try deleteLeastRecentlyUsed(
                on: connection, count: entryCount - StoreLimits.lowWater(limits.maxEntries), keeping: keep)
            entryCount -= ids.count
            counters.countEvicted(ids.count)
            removed += ids
        }
        var used = limits.maxDatabaseBytes > 0 ? try usedBytes(on: connection) : 0
        if limits.maxDatabaseBytes > 0, used > limits.maxDatabaseBytes {
            let target = StoreLimits.lowWater(limits.maxDatabaseBytes)
            // Pages are freed only as whole pages empty out, so estimate a batch from the average
            // entry size, delete it, and measure again.
            while used > target {
                let perEntry = max(1, used / max(entryCount, 1))
                let batch = max(1, (used - target + perEntry - 1) / perEntry)
                let ids = try deleteLeastRecentlyUsed(on: connection, count: batch, keeping: keep)
                guard !ids.isEmpty else { break }
                entryCount -= ids.count
                counters.countEvicted(ids.count)
                removed += ids
                used = try usedBytes(on: connection)
            }
        }
        return removed
    }

    static func deleteLeastRecentlyUsed(on connection: SQLiteConnection, count: Int, keeping keep: String) throws(StoreError)
        -> [String]
    {
        guard count > 0 else { return [] }
        return try deleteIDs(
            on: connection,
            "DELETE FROM entries WHERE id IN (SELECT id FROM entries WHERE id != ? ORDER BY \(recency) LIMIT ?) RETURNING id"
        ) {
            $0.bind(1, keep)
            $0.bind(2, count)
        }
    }

    static func deleteIDs(on connection: SQLiteConnection, _ sql: String, bind: (SQLiteStatement) -> Void) throws(StoreError)
        -> [String]
    {
        let statement = try connection.statement(sql)
        bind(statement)
        defer { statement.reset() }
        var ids: [String] = []
        while try statement.step() { ids.append(statement.string(0) ?? "") }
        return ids
    }

    static func count(on connection: SQLiteConnection) throws(StoreError) -> Int {
        let statement = try connection.statement("SELECT count(*) FROM entries")
        try statement.step()
        defer { statement.reset() }
        return statement.int(0)
    }

    /// Bytes of pages holding data: the file's pages minus those on the free list.
    static func usedBytes(on connection: SQLiteConnection) throws(StoreError) -> Int {
        let statement = try connection.statement(
            "SELECT (c.page_count - f.freelist_count) * s.page_size FROM pragma_page_count() c, pragma_freelist_count() f, pragma_page_size() s"
        )
        try statement.step()
        defer { statement.reset() }
        return statement.int(0)
    }

    /// Gives free pages back to the file system (auto_vacuum=INCREMENTAL); in WAL mode the file
    /// itself shrinks at the next checkpoint.
    static func reclaimSpace(on connection: SQLiteConnection) throws(StoreError) {
        try connection.execute("PRAGMA incremental_vacuum")
    }

    /// The live (unexpired) entry with `id`, or nil: how a semantic match is read before the guard
    /// decides whether to serve it; `recordHit` counts it once served.
    public func liveEntry(id: String) throws(StoreError) -> StoredResponse? {
        guard let response = try entry(id: id), response.expires > clock.now() else { return nil }
        return response
    }

    /// Counts a hit on an entry read with `liveEntry(id:)` and then served.
    public func recordHit(id: String) throws(StoreError) {
        let now = clock.now()
        recent.withLock { $0.countHit(servedID: id, at: now) }
    }

    /// Embeddings of live entries made by `model`, to rebuild the vector index at start-up.
    public func embeddings(model: String) throws(StoreError) -> [StoredEmbedding] {
        let now = clock.now()
        return try state.withLock { (state: inout State) throws(StoreError) -> [StoredEmbedding] in
            let statement = try state.connection.statement(
                "SELECT id, partition_key, embedding FROM entries WHERE embedding_model = ? AND embedding IS NOT NULL AND expires > ?")
            statement.bind(1, model)
            statement.bind(2, now)
            var result: [StoredEmbedding] = []
            while try statement.step() {
                guard let vector = EmbeddingCoding.decode(statement.blob(2)) else { continue }
                result.append(StoredEmbedding(id: statement.string(0) ?? "", partitionKey: statement.string(1) ?? "", vector: vector))
            }
            return result
        }
    }

    /// The live entry for a direct key, counting the hit; nil when absent or expired.
    public func lookup(directKey: String) throws(StoreError) -> StoredResponse? {
        let now = clock.now()
        let memory = recent.withLock { recent in (recent.hit(directKey: directKey, now: now), recent.generation) }
        if let held = memory.0 { return held }
        guard
            var response = try state.withLock({ (state: inout State) throws(StoreError) -> StoredResponse? in
                let statement = try state.connection.statement(
                    "SELECT \(Self.columns) FROM entries WHERE direct_key = ? AND expires > ?")
                statement.bind(1, directKey)
                statement.bind(2, now)
                defer { statement.reset() }
                guard try statement.step() else { return nil }
                return try Self.read(statement, codec: state.codec)
            })
        else { return nil }
        return recent.withLock { recent -> StoredResponse? in
            // Memory moved on while the file was read: a newer entry held for the key wins; after a
            // removal the row read may be gone, so it is not served (a miss, rarely).
            if let newer = recent.hit(directKey: directKey, now: now) { return newer }
            guard recent.generation == memory.1 else { return nil }
            recent.countHit(id: response.id, at: now)
            response.hits += 1
            recent.hold(response, directKey: directKey)
            return response
        }
    }

    /// The live entry for a direct key if memory holds it, counting the hit; nil otherwise (it may
    /// still be in the file). Never touches SQLite: what an event loop may call.
    public func lookupInMemory(directKey: String) -> StoredResponse? {
        let now = clock.now()
        return recent.withLock { $0.hit(directKey: directKey, now: now) }
    }

    /// Reads an entry by id without counting a hit (admin and tests); expired entries included.
    public func entry(id: String) throws(StoreError) -> StoredResponse? {
        if let held = recent.withLock({ $0.response(id: id) }) { return held }
        return try state.withLock { (state: inout State) throws(StoreError) -> StoredResponse? in
            let statement = try state.connection.statement("SELECT \(Self.columns) FROM entries WHERE id = ?")
            statement.bind(1, id)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return try Self.read(statement, codec: state.codec)
        }
    }

    static func read(_ s: SQLiteStatement, codec: ZlibCodec) throws(StoreError) -> StoredResponse {
        let rawSize = s.int(4)
        let compressed = s.blob(3)
        let body = rawSize == 0 ? [] : try codec.decompress(compressed, expectedSize: rawSize)
        return StoredResponse(
            id: s.string(0) ?? "", status: s.int(1), headers: HeaderCoding.decode(s.blob(2)), body: body,
            isStream: s.int(6) != 0, created: s.double(7), expires: s.double(8), hits: s.int(9),
            rawSize: rawSize, storedSize: s.int(5), prompt: s.string(10),
            promptTokens: s.isNull(11) ? nil : s.int(11), completionTokens: s.isNull(12) ? nil : s.int(12))
    }

    /// Deletes one entry; true if it existed.
    @discardableResult
    public func delete(id: String) throws(StoreError) -> Bool {
        try deleting("DELETE FROM entries WHERE id = ? RETURNING id") { $0.bind(1, id) }.count > 0
    }

    /// Deletes the entries holding video job `jobID` (a job that failed); returns the deleted ids.
    public func deleteAll(jobID: String) throws(StoreError) -> [String] {
        try deleting("DELETE FROM entries WHERE job_id = ? RETURNING id") { $0.bind(1, jobID) }
    }

    /// Deletes every entry of a cache key (namespace); returns the deleted ids.
    @discardableResult
    public func deleteAll(cacheKey: String) throws(StoreError) -> [String] {
        try deleting("DELETE FROM entries WHERE cache_key = ? RETURNING id") { $0.bind(1, cacheKey) }
    }

    /// Deletes everything; returns the deleted ids.
    @discardableResult
    public func deleteAll() throws(StoreError) -> [String] {
        try deleting("DELETE FROM entries RETURNING id") { _ in }
    }

    /// Deletes entries whose TTL has passed; returns their ids.
    @discardableResult
    public func deleteExpired() throws(StoreError) -> [String] {
        let now = clock.now()
        let removed = try deleting("DELETE FROM entries WHERE expires <= ? RETURNING id") { $0.bind(1, now) }
        counters.countExpired(removed.count)
        return removed
    }

    /// Deletes with `sql` (which returns the ids it deleted) after committing queued writes, so a
    /// pending entry is deleted like a committed one; the deleted ids leave memory too.
    private func deleting(_ sql: String, bind: (SQLiteStatement) -> Void) throws(StoreError) -> [String] {
        try flush()
        return try commits.withLock { (_: inout Void) throws(StoreError) -> [String] in
            let ids = try state.withLock { (state: inout State) throws(StoreError) -> [String] in
                let ids = try Self.deleteIDs(on: state.connection, sql, bind: bind)
                state.entryCount = max(0, state.entryCount - ids.count)
                if !ids.isEmpty { try? Self.reclaimSpace(on: state.connection) }
                return ids
            }
            recent.withLock { recent in
                for id in ids { recent.remove(id: id) }
            }
            return ids
        }
    }

    public func totals() throws(StoreError) -> StoreTotals {
        // Pending writes are counted when they commit; a store that cannot write (full disk) can
        // still report what it holds, and the writer reports its own failure.
        _ = try? flush()
        return try state.withLock { (state: inout State) throws(StoreError) -> StoreTotals in
            let sums = try state.connection.statement(
                "SELECT count(*), coalesce(sum(raw_size), 0), coalesce(sum(stored_size), 0) FROM entries")
            try sums.step()
            let totals = (sums.int(0), sums.int(1), sums.int(2))
            sums.reset()
            let pages = try state.connection.statement(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            try pages.step()
            defer { pages.reset() }
            return StoreTotals(entries: totals.0, rawBytes: totals.1, storedBytes: totals.2, databaseBytes: pages.int(0))
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, else the problems found.
    public func integrityCheck() throws(StoreError) -> [String] {
        try state.withLock { (state: inout State) throws(StoreError) -> [String] in
            let statement = try state.connection.statement("PRAGMA integrity_check")
            defer { statement.reset() }
            var rows: [String] = []
            while try statement.step() { rows.append(statement.string(0) ?? "") }
            return rows
        }
    }

    /// Folds the WAL back into the main file; called on clean shutdown.
    public func checkpoint() throws(StoreError) {
        try flush()
        try state.withLock { (state: inout State) throws(StoreError) in
            try state.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
