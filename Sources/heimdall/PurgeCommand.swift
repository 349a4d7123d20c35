import ArgumentParser
import Foundation

struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete cached entries from a running Heimdall.",
        discussion: """
            Talks to the admin API: --id deletes one entry (the cache_id of a response's
            cache_debug), --key every entry of a cache key (x-bf-cache-key) across all callers,
            --all everything. Deleted entries are gone from the semantic index too, so the next
            matching request is a miss.
            Example: heimdall purge --key my-app --admin 127.0.0.1:8089
            """)

    @Option(help: "Delete the entry with this id.")
    var id: String?

    @Option(help: "Delete every entry of this cache key.")
    var key: String?

    @Flag(help: "Delete every entry.")
    var all = false

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        let chosen = [id != nil, key != nil, all].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --id ID, --key KEY or --all") }
    }

    func run() async throws {
        let client = admin.client()
        let target: String
        if let id {
            target = "/entries/" + AdminClient.segment(id)
        } else if let key {
            target = "/entries?key=" + AdminClient.query(key)
        } else {
            target = "/entries"
        }
        let answer = try await client.delete(target)
        guard answer.status == 200 else { throw ValidationError("purge failed: \(AdminClient.message(answer))") }
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        let deleted = object?["deleted"] as? Int ?? 0
        print("deleted \(deleted) \(deleted == 1 ? "entry" : "entries")")
    }
}
