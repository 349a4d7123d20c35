import ArgumentParser
import Foundation
import HeimdallProxy

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a running Heimdall's /stats as a table, or the raw JSON.",
        discussion: """
            Reads GET /stats from the admin API: requests by outcome, hit rate, latency percentiles,
            similarity of semantic hits, storage and compression, savings, and the busiest cache
            keys and models. The JSON schema is documented in docs/stats.md.
            Example: heimdall stats --admin 127.0.0.1:8089 --json
            """)

    @OptionGroup var admin: AdminOptions

    @Flag(help: "Print the /stats JSON document as served.")
    var json = false

    func run() async throws {
        let answer = try await admin.client().get("/stats")
        guard answer.status == 200 else { throw ValidationError("GET /stats failed: \(AdminClient.message(answer))") }
        if json {
            print(answer.text)
            return
        }
        let snapshot: StatsSnapshot
        do {
            snapshot = try StatsSnapshot.decode(Data(answer.body))
        } catch {
            throw ValidationError("GET /stats returned a document this heimdall cannot read (\(error)); try --json")
        }
        print(StatsTable.render(snapshot))
    }
}
