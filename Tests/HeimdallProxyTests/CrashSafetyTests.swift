import AsyncHTTPClient
import Foundation
import HeimdallCore
import HeimdallMockUpstream
import HeimdallStore
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// docs/behaviour.md §5 crash safety, against the real executable: `kill -9` at random moments during
/// concurrent cacheable writes never corrupts the database, never loses an answer the client
/// received, and never serves a truncated body; SIGTERM drains in-flight requests and
/// checkpoints the WAL.
@Suite(.serialized) struct CrashSafetyTests {
    static let rounds = 5
    static let writers = 8

    @Test(.timeLimit(.minutes(2))) func killNineAtRandomMomentsLosesNothingAcknowledged() async throws {
        let mock = MockUpstream()
        let upstream = "http://127.0.0.1:\(try await mock.start())"
        let directory = try Self.temporaryDirectory()
        let db = directory.appendingPathComponent("heimdall.sqlite").path
        let seed = UInt64(Date().timeIntervalSince1970)  // a new schedule of kills every run; reported on failure
        var generator = SplitMix64(seed: seed)
        var acknowledged: [String] = []  // prompts whose miss answer reached the client: committed
        var unacknowledged: [String] = []  // in flight at the kill: stored or not, never half
        do {
            for round in 0..<Self.rounds {
                let child = try await HeimdallChild.start(upstream: upstream, db: db, directory: directory, name: "round-\(round)")
                defer { child.forceStop() }
                try await Self.verify(acknowledged, mustHit: true, proxy: child.proxyURL)
                try await Self.verify(unacknowledged, mustHit: false, proxy: child.proxyURL)
                unacknowledged.removeAll()

                let killAfter = Duration.milliseconds(Int.random(in: 100...700, using: &generator))
                let outcome = try await Self.writeUntilKilled(child: child, round: round, after: killAfter)
                #expect(await child.waitForExit(timeout: .seconds(5)) != nil)
                acknowledged += outcome.acknowledged
                unacknowledged += outcome.unacknowledged
                #expect(!outcome.acknowledged.isEmpty, "round \(round), seed \(seed): no write completed before the kill at \(killAfter)")

                let store = try CacheStore(path: db)
                #expect(try store.integrityCheck() == ["ok"], "round \(round), seed \(seed)")
                #expect(try store.totals().entries >= acknowledged.count)
            }
            let last = try await HeimdallChild.start(upstream: upstream, db: db, directory: directory, name: "final")
            defer { last.forceStop() }
            try await Self.verify(acknowledged, mustHit: true, proxy: last.proxyURL)
            try await Self.verify(unacknowledged, mustHit: false, proxy: last.proxyURL)
            print(
                "crash safety: \(Self.rounds) kill -9 rounds (seed \(seed)), \(acknowledged.count) acknowledged answers all served whole from the cache afterwards, \(unacknowledged.count) in flight at the last kill"
            )
        } catch {
            await mock.stop()
            throw error
        }
        await mock.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test(.timeLimit(.minutes(1))) func sigtermDrainsInFlightRequestsAndCheckpointsTheWAL() async throws {
        let mock = MockUpstream()
        let upstream = "http://127.0.0.1:\(try await mock.start())"
        let directory = try Self.temporaryDirectory()
        let db = directory.appendingPathComponent("heimdall.sqlite").path
        do {
            let child = try await HeimdallChild.start(upstream: upstream, db: db, directory: directory, name: "sigterm")
            defer { child.forceStop() }
            #expect(try await Self.chat("warm up", proxy: child.proxyURL).status == 200)
            // A cacheable request whose upstream answer takes 1.5 s, in flight when SIGTERM arrives.
            let slow = Task { try await Self.chat("slow answer", proxy: child.proxyURL, headers: [("x-mock-delay-ms", "1500")]) }
            while mock.callCount() < 2 { try await Task.sleep(for: .milliseconds(10)) }
            child.signal(SIGTERM)
            let answer = try await slow.value
            #expect(answer.status == 200)
            #expect(Self.content(of: answer)?.contains("slow answer") == true, "the in-flight answer is complete: \(answer.text)")
            let status = await child.waitForExit(timeout: .seconds(10))
            #expect(status == 0, "clean exit after draining; log:\n\(child.log)")
            let wal = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0, "the WAL was checkpointed into the main file")

            let store = try CacheStore(path: db)
            #expect(try store.integrityCheck() == ["ok"])
            #expect(try store.totals().entries == 2, "the drained request's answer was stored")
        } catch {
            await mock.stop()
            throw error
        }
        await mock.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    struct WriteOutcome {
        var acknowledged: [String] = []
        var unacknowledged: [String] = []
    }

    final class SharedWriteState: Sendable {
        let killed = Atomic<Bool>(false)
        let outcome = Mutex(WriteOutcome())
    }

    /// Concurrent writers send distinct cacheable prompts until the child is killed after `delay`.
    static func writeUntilKilled(child: HeimdallChild, round: Int, after delay: Duration) async throws -> WriteOutcome {
        let shared = SharedWriteState()
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var n = 0
                    while !shared.killed.load(ordering: .acquiring) {
                        let prompt = "round \(round) writer \(writer) prompt \(n) " + String(repeating: "padding ", count: n % 50)
                        n += 1
                        do {
                            let response = try await chat(prompt, proxy: child.proxyURL)
                            let complete = response.status == 200 && content(of: response)?.contains(prompt) == true
                            shared.outcome.withLock { complete ? $0.acknowledged.append(prompt) : $0.unacknowledged.append(prompt) }
                        } catch {
                            shared.outcome.withLock { $0.unacknowledged.append(prompt) }
                            if !shared.killed.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(5)) }
                        }
                    }
                }
            }
            group.addTask {
                // The clock starts at the first answer: a slow start on a loaded machine must not
                // leave a round with nothing acknowledged.
                let waitUntil = ContinuousClock.now + .seconds(60)
                while shared.outcome.withLock({ $0.acknowledged.isEmpty }), ContinuousClock.now < waitUntil {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                try? await Task.sleep(for: delay)
                child.signal(SIGKILL)
                shared.killed.store(true, ordering: .releasing)
            }
        }
        return shared.outcome.withLock { $0 }
    }

    /// Every prompt answers 200 with a complete JSON body about that prompt; acknowledged ones from the cache.
    static func verify(_ prompts: [String], mustHit: Bool, proxy: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in 0..<4 {
                group.addTask {
                    for prompt in prompts.enumerated().filter({ $0.offset % 4 == slice }).map(\.element) {
                        let response = try await chat(prompt, proxy: proxy)
                        #expect(response.status == 200)
                        #expect(
                            content(of: response)?.contains(prompt) == true, "complete body for \(prompt): \(response.text.prefix(200))")
                        if mustHit { #expect(response.outcome == "hit-direct", "acknowledged answer lost: \(prompt)") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static func chat(_ text: String, proxy: String, headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: proxy + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let escaped = CanonicalJSON.string(.string(text))
        request.body = .bytes(ByteBuffer(string: #"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":\#(escaped)}]}"#))
        let response = try await ProxyHarness.client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    static func content(of response: TestResponse) -> String? {
        response.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
