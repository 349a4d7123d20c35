import Foundation
import HeimdallCore
import Testing

/// `/entries` and Bifrost's clear aliases (docs/behaviour.md §7): deleting makes the next request miss.
@Suite struct AdminEntriesTests {
    @Test func listShowAndDeleteById() async throws {
        try await ProxyHarness.with { proxy in
            let first = try await proxy.chat("What is the capital of France?")
            let id = try #require(first.cacheDebug?["cache_id"]?.stringValue)

            let list = try await proxy.admin("/entries?key=default&limit=10")
            #expect(list.status == 200)
            let entries = try #require(list.json?["data"]?.arrayValue)
            #expect(entries.count == 1)
            #expect(entries.first?["id"] == .string(id))
            #expect(try await proxy.admin("/entries?key=nothing").json?["data"]?.arrayValue?.isEmpty == true)

            let shown = try await proxy.admin("/entries/\(id)")
            #expect(shown.status == 200)
            let entry = try #require(shown.json)
            #expect(entry["cache_key"] == .string("default"))
            #expect(entry["model"] == .string("gpt-4o-mini"))
            #expect(entry["provider"] == .string("openai"))
            #expect(entry["route"] != nil && entry["created_at"] != nil && entry["expires_at"] != nil)
            #expect(entry["expired"] == .bool(false))
            #expect(entry["prompt_tokens"]?.doubleValue ?? 0 > 0)
            #expect(entry["body"] == nil && entry["prompt"] == nil, "metadata only by default")
            let withBody = try await proxy.admin("/entries/\(id)?body=true")
            #expect(withBody.json?["body"]?.stringValue?.contains("chat.completion") == true)

            #expect(try await proxy.chat("What is the capital of France?").outcome == "hit-direct")
            let deleted = try await proxy.admin("/entries/\(id)", method: .DELETE)
            #expect(deleted.status == 200)
            #expect(deleted.json?["deleted"] == .number("1"))
            #expect(try await proxy.admin("/entries/\(id)").status == 404)
            let again = try await proxy.admin("/entries/\(id)", method: .DELETE)
            #expect(again.status == 404)
            #expect(again.json?["error"]?["code"] == .string("entry_not_found"))
            #expect(try await proxy.chat("What is the capital of France?").outcome == "miss")
        }
    }

    @Test func deleteByKeyAcrossTenantsAndAll() async throws {
        try await ProxyHarness.with { proxy in
            let key = [("x-bf-cache-key", "tenant-shared")]
            _ = try await proxy.chat("one", headers: key)
            _ = try await proxy.chat("two", headers: key + [("authorization", "Bearer sk-other-tenant")])
            _ = try await proxy.chat("kept")
            #expect(try await proxy.admin("/entries?key=tenant-shared").json?["data"]?.arrayValue?.count == 2)
            #expect(try await proxy.admin("/entries?limit=1").json?["data"]?.arrayValue?.count == 1)

            let deleted = try await proxy.admin("/entries?key=tenant-shared", method: .DELETE)
            #expect(deleted.json?["deleted"] == .number("2"))
            #expect(try await proxy.chat("one", headers: key).outcome == "miss")
            #expect(try await proxy.chat("kept").outcome == "hit-direct")

            let typo = try await proxy.admin("/entries?kye=tenant-shared", method: .DELETE)
            #expect(typo.status == 400, "a misspelt parameter never deletes everything")
            #expect(try await proxy.stats().store.entries == 2)

            let all = try await proxy.admin("/entries", method: .DELETE)
            #expect(all.json?["deleted"] == .number("2"))
            #expect(try await proxy.stats().store.entries == 0)
            #expect(try await proxy.chat("kept").outcome == "miss")
        }
    }

    @Test func bifrostClearAliases() async throws {
        try await ProxyHarness.with { proxy in
            let id = try #require(try await proxy.chat("alias by id").cacheDebug?["cache_id"]?.stringValue)
            let cleared = try await proxy.admin("/api/cache/clear/\(id)", method: .DELETE)
            #expect(cleared.status == 200)
            #expect(cleared.json?["message"] == .string("Cache cleared successfully"))
            #expect(try await proxy.chat("alias by id").outcome == "miss")

            let key = [("x-bf-cache-key", "my app/v2")]
            _ = try await proxy.chat("alias by key", headers: key)
            #expect(try await proxy.chat("alias by key", headers: key).outcome == "hit-direct")
            let byKey = try await proxy.admin("/api/cache/clear-by-key/my%20app%2Fv2", method: .DELETE)
            #expect(byKey.status == 200)
            #expect(byKey.json?["deleted"] == .number("1"))
            #expect(try await proxy.chat("alias by key", headers: key).outcome == "miss")
        }
    }

    @Test func deletedEntriesLeaveTheSemanticIndex() async throws {
        try await ProxyHarness.with(configure: StatsTests.semantic) { proxy in
            let id = try #require(
                try await proxy.chat("Tell me about the history of the Roman Empire").cacheDebug?["cache_id"]?.stringValue)
            #expect(try await proxy.chat("Tell me about the history of the Roman Empire please").outcome == "hit-semantic")
            #expect(try await proxy.admin("/entries/\(id)", method: .DELETE).status == 200)
            let after = try await proxy.chat("Tell me about the history of the Roman Empire, please!")
            #expect(after.outcome == "miss")
            #expect(after.cacheDebug?["similarity"] == nil, "the deleted vector is not even a candidate")
        }
    }
}
