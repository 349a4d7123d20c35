import Foundation
import Synchronization

@testable import HeimdallStore

/// A clock the test moves by hand, so TTL tests never sleep.
final class ManualClock: Sendable {
    private let value = Mutex<Double>(1_800_000_000)
    var now: Double { value.withLock { $0 } }
    func advance(by seconds: Double) { value.withLock { $0 += seconds } }
    var cacheClock: CacheClock { CacheClock { self.now } }
}

/// A fresh directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

func makeEntry(id: String = UUID().uuidString, key: String = "k1", cacheKey: String = "default", body: String, ttl: Double = 60)
    -> CacheEntry
{
    CacheEntry(
        id: id, directKey: key, partitionKey: "p1", cacheKey: cacheKey, tenant: "t", route: "chat", provider: "openai",
        model: "gpt-4o-mini", status: 200, headers: [("content-type", "application/json")], body: Array(body.utf8),
        promptTokens: 10, completionTokens: 20, ttlSeconds: ttl)
}

/// A realistic ~2 KB chat.completion body.
let realisticBody: String = {
    let answer = (0..<12).map { i in
        "Paragraph \(i): the capital of France is Paris, which has been the seat of government for centuries and hosts many institutions."
    }.joined(separator: "\\n\\n")
    return """
        {
          "id": "chatcmpl-AbC123xyz",
          "object": "chat.completion",
          "created": 1764000000,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {"role": "assistant", "content": "\(answer)", "refusal": null},
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {"prompt_tokens": 14, "completion_tokens": 310, "total_tokens": 324},
          "system_fingerprint": "fp_0ba0d124f1"
        }
        """
}()
