/// The store's in-memory side: recently written or read entries by direct key (a hit served
/// from here needs neither SQLite nor inflate), writes not yet committed, and hit counts not yet
/// written. Bounded in bytes; entries whose write is pending or committing stay until it commits.
struct RecentEntries: ~Copyable {
    struct Recent {
        var response: StoredResponse
        var directKey: String
        var size: Int
    }

    /// A write accepted but not yet committed to SQLite.
    struct PendingWrite {
        var entry: CacheEntry
        var compressed: [UInt8]
        var created: Double
        var expires: Double
    }

    struct PendingHit {
        var count: Int
        var last: Double
    }

    let capacity: Int
    private(set) var byKey: [String: Recent] = [:]
    private(set) var keyByID: [String: String] = [:]
    private(set) var bytes = 0
    var pendingWrites: [String: PendingWrite] = [:]
    var pendingHits: [String: PendingHit] = [:]
    /// Writes taken by a commit that has not finished (or an immediate insert waiting for its turn).
    var committing: [String: PendingWrite] = [:]
    /// Bumped by every removal: a reader that looked in the file meanwhile knows its row may be gone.
    private(set) var generation = 0

    /// What one commit writes: queued entries (oldest first) and hit counts.
    struct Batch {
        var writes: [PendingWrite]
        var hits: [String: PendingHit]
    }

    init(capacity: Int) { self.capacity = capacity }

    /// The live entry for `directKey`, counting a hit; nil when not held here (or expired).
    mutating func hit(directKey: String, now: Double) -> StoredResponse? {
        guard var recent = byKey[directKey] else { return nil }
        guard recent.response.expires > now else {
            if !isUnwritten(recent.response.id) { remove(id: recent.response.id) }
            return nil
        }
        countHit(id: recent.response.id, at: now)
        recent.response.hits += 1
        byKey[directKey] = recent
        return recent.response
    }

    func response(id: String) -> StoredResponse? {
        keyByID[id].flatMap { byKey[$0]?.response }
    }

    /// Counts a hit for the next flush. The held copy's `hits` is kept current by the caller's path.
    mutating func countHit(id: String, at now: Double) {
        pendingHits[id, default: PendingHit(count: 0, last: now)].count += 1
        pendingHits[id]?.last = now
    }

    /// Counts a hit on an entry served by id (a semantic match), keeping a held copy current.
    mutating func countHit(servedID id: String, at now: Double) {
        countHit(id: id, at: now)
        if let key = keyByID[id], byKey[key]?.response.id == id { byKey[key]?.response.hits += 1 }
    }

    /// Holds `response` under `directKey`, replacing what was held for that key.
    mutating func hold(_ response: StoredResponse, directKey: String) {
        if let old = byKey[directKey] { drop(old) }
        if let oldKey = keyByID[response.id], let old = byKey[oldKey] { drop(old) }
        let recent = Recent(response: response, directKey: directKey, size: response.body.count + 256)
        byKey[directKey] = recent
        keyByID[response.id] = directKey
        bytes += recent.size
        if bytes > capacity { shrink() }
    }

    /// Takes the queue for a commit; its writes (and `own`) stay held as committing until `settle`.
    mutating func takePending(adding own: PendingWrite?) -> Batch {
        var writes = Array(pendingWrites.values)
        if let own { writes.append(own) }
        for write in writes { committing[write.entry.id] = write }
        let batch = Batch(writes: writes.sorted { $0.created < $1.created }, hits: pendingHits)
        pendingWrites = [:]
        pendingHits = [:]
        return batch
    }

    /// A commit of `batch` succeeded: its entries are ordinary held entries now; evicted ones go.
    mutating func settle(_ batch: Batch, evicted: [String]) {
        for write in batch.writes { committing[write.entry.id] = nil }
        for id in evicted { remove(id: id) }
    }

    /// A commit of `batch` failed: its entries are not in the file, so they are not served either.
    mutating func abandon(_ batch: Batch) {
        for write in batch.writes { remove(id: write.entry.id) }
    }

    func isUnwritten(_ id: String) -> Bool { pendingWrites[id] != nil || committing[id] != nil }

    mutating func remove(id: String) {
        generation &+= 1
        pendingWrites[id] = nil
        committing[id] = nil
        pendingHits[id] = nil
        if let key = keyByID[id], let recent = byKey[key] { drop(recent) }
    }

    private mutating func drop(_ recent: Recent) {
        byKey[recent.directKey] = nil
        if keyByID[recent.response.id] == recent.directKey { keyByID[recent.response.id] = nil }
        bytes -= recent.size
    }

    /// Frees about a quarter of the budget, never an entry whose write is still pending or committing.
    private mutating func shrink() {
        let target = capacity * 3 / 4
        for recent in Array(byKey.values) where bytes > target {
            if !isUnwritten(recent.response.id) { drop(recent) }
        }
    }
}
