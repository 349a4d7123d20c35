/// The store's in-memory side: recently written or read entries by direct key (a hit served
/// from here needs neither SQLite nor inflate), writes not yet committed, and hit counts not yet
/// written. Bounded in bytes; entries whose write is pending stay until it commits.
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

    init(capacity: Int) { self.capacity = capacity }

    /// The live entry for `directKey`, counting a hit; nil when not held here (or expired).
    mutating func hit(directKey: String, now: Double) -> StoredResponse? {
        guard var recent = byKey[directKey] else { return nil }
        guard recent.response.expires > now else {
            if pendingWrites[recent.response.id] == nil { remove(id: recent.response.id) }
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

    mutating func remove(id: String) {
        pendingWrites[id] = nil
        pendingHits[id] = nil
        if let key = keyByID[id], let recent = byKey[key] { drop(recent) }
    }

    mutating func removeAll() {
        byKey = [:]
        keyByID = [:]
        bytes = 0
        pendingWrites = [:]
        pendingHits = [:]
    }

    private mutating func drop(_ recent: Recent) {
        byKey[recent.directKey] = nil
        if keyByID[recent.response.id] == recent.directKey { keyByID[recent.response.id] = nil }
        bytes -= recent.size
    }

    /// Frees about a quarter of the budget, never an entry whose write is still pending.
    private mutating func shrink() {
        let target = capacity * 3 / 4
        for recent in Array(byKey.values) where bytes > target {
            if pendingWrites[recent.response.id] == nil { drop(recent) }
        }
    }
}
