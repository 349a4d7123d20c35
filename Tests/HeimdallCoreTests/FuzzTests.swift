import Foundation
import HeimdallCore
import Testing

@testable import HeimdallFuzzing

/// A short, seeded fuzzing run on every `swift test` (docs/reliability.md has the long libFuzzer
/// run): the checked-in corpus in Tests/Fuzz/corpus, random mutations of it, and generated
/// request documents, each through `RequestInvariants.check`.
@Suite struct FuzzTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func corpus() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path).sorted()
        return try names.map { name in (name, Array(try Data(contentsOf: corpusDirectory.appendingPathComponent(name)))) }
    }

    @Test func theCorpusHoldsEveryKindOfBadInput() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 20)
        for (name, bytes) in corpus {
            #expect(throws: Never.self, "\(name)") { try RequestInvariants.check(bytes) }
        }
        let parsed = corpus.filter { (try? JSONParser.parse($0.bytes)) != nil }.map(\.name)
        #expect(parsed.contains("duplicate-keys.json") && parsed.contains("numbers.json") && parsed.contains("deep-object.json"))
        for rejected in ["too-deep.json", "invalid-utf8.bin", "truncated.json", "trailing.json", "bad-escapes.json", "bad-numbers.json"] {
            #expect(!parsed.contains(rejected), "\(rejected) is rejected, not repaired")
        }
    }

    @Test func mutationsOfTheCorpusKeepEveryInvariant() async throws {
        let corpus = try Self.corpus().map(\.bytes)
        let (runs, failure) = await Self.onOwnThread { () -> (Int, String?) in
            var generator = SplitMix64(seed: 0x4865_696D_6461_6C6C)
            let deadline = ContinuousClock.now + .seconds(3)
            var runs = 0
            // At least the minimum however slow the machine, then as many as fit before the deadline.
            while runs < 500 || (runs < 20_000 && ContinuousClock.now < deadline) {
                var input = corpus[Int(generator.next() % UInt64(corpus.count))]
                for _ in 0...Int(generator.next() % 4) { Mutator.mutate(&input, corpus: corpus, using: &generator) }
                do {
                    try RequestInvariants.check(input, shuffleSeed: generator.next())
                } catch {
                    return (runs, "\(error)\ninput (base64): \(Data(input).base64EncodedString())")
                }
                runs += 1
            }
            return (runs, nil)
        }
        if let failure { Issue.record(Comment(rawValue: failure)) }
        #expect(runs >= 500, "ran \(runs) mutations")
        print("fuzz: \(runs) corpus mutations checked")
    }

    @Test func generatedRequestsKeepEveryInvariant() async throws {
        let (runs, failure) = await Self.onOwnThread { () -> (Int, String?) in
            var generator = SplitMix64(seed: 20_261_129)
            let deadline = ContinuousClock.now + .seconds(3)
            var runs = 0
            while runs < 100 || (runs < 5_000 && ContinuousClock.now < deadline) {
                let input = RequestGenerator.request(using: &generator)
                do {
                    try RequestInvariants.check(input, shuffleSeed: generator.next())
                } catch {
                    return (runs, "\(error)\ninput: \(String(decoding: input, as: UTF8.self))")
                }
                runs += 1
            }
            return (runs, nil)
        }
        if let failure { Issue.record(Comment(rawValue: failure)) }
        #expect(runs >= 100, "ran \(runs) generated requests")
        print("fuzz: \(runs) generated requests checked")
    }

    /// Runs a CPU-bound loop on a thread of its own: on Swift concurrency's few threads it would
    /// starve the other suites' servers running in this process (their timeouts then fire).
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.start()
        }
    }

    @Test func numbersThatOverflowADoubleHaveAValidCanonicalForm() throws {
        for lexeme in ["1e999", "-1E400", "123456789012345678901234567890", "1e-999"] {
            let canonical = CanonicalJSON.encode(try JSONParser.parse(lexeme))
            #expect((try? JSONParser.parse(canonical)) != nil, "\(lexeme) → \(String(decoding: canonical, as: UTF8.self))")
        }
        #expect(CanonicalJSON.canonicalNumber("1E999") == CanonicalJSON.canonicalNumber("1e999"))
        #expect(CanonicalJSON.canonicalNumber("1e999") != CanonicalJSON.canonicalNumber("2e999"))
    }

    @Test func hugeDurationsAreRejectedNotInfinite() {
        #expect(GoDuration.seconds(String(repeating: "9", count: 400) + "s") == nil)
        #expect(
            CacheDirectives(
                header: { $0 == CacheDirectives.ttlHeader ? String(repeating: "9", count: 400) + "h" : nil }, defaultCacheKey: "d"
            ).ttlSeconds == nil)
        for json in [#"{"upstream_timeout":1e300}"#, #"{"ttl":"99999999999h"}"#, #"{"sweep_interval":1e999}"#] {
            #expect(throws: ConfigurationError.self, "\(json)") {
                try ConfigurationLoader().load(file: ("fuzz.json", Array(json.utf8)), environment: [:], commandLine: [:])
            }
        }
    }
}

/// Byte-level mutations in the spirit of libFuzzer's: bit flips, JSON-ish tokens, deletions,
/// duplicated ranges (duplicate keys), splices with other corpus files, deep wrapping.
enum Mutator {
    static let tokens: [[UInt8]] =
        [
            "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-0", "1e999", "-1e-999", "123456789012345678901234567890",
            "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\", "\"model\":\"x\",", "\"temperature\":", "\"messages\":[",
            "\"role\":\"user\",\"content\":\"A\"", "0.1", ".5", "01", "1.", "\t", "\n", "\u{00e9}", "\u{65e5}",
        ].map { Array($0.utf8) } + [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xE2, 0x82], [0x00], [0xEF, 0xBB, 0xBF]]

    static func mutate(_ input: inout [UInt8], corpus: [[UInt8]], using g: inout SplitMix64) {
        func position(_ extra: Int = 1) -> Int { Int(g.next() % UInt64(input.count + extra)) }
        switch g.next() % 8 {
        case 0 where !input.isEmpty:
            input[position(0)] ^= UInt8(1 << (g.next() % 8))
        case 1:
            input.insert(contentsOf: tokens[Int(g.next() % UInt64(tokens.count))], at: position())
        case 2 where !input.isEmpty:
            let start = position(0)
            input.removeSubrange(start..<min(input.count, start + 1 + Int(g.next() % 16)))
        case 3 where !input.isEmpty:
            let start = position(0)
            let range = start..<min(input.count, start + 1 + Int(g.next() % 64))
            input.insert(contentsOf: Array(input[range]), at: position())
        case 4:
            let other = corpus[Int(g.next() % UInt64(corpus.count))]
            let cut = Int(g.next() % UInt64(other.count + 1))
            input = Array(input.prefix(position())) + Array(other.suffix(from: cut))
        case 5:
            let depth = Int(g.next() % 140)
            let array = g.next() % 2 == 0
            let open = array ? [UInt8(ascii: "[")] : Array("{\"a\":".utf8)
            input = (0..<depth).flatMap { _ in open } + input + (0..<depth).map { _ in UInt8(ascii: array ? "]" : "}") }
        case 6 where !input.isEmpty:
            input[position(0)] = UInt8(truncatingIfNeeded: g.next())
        default:
            input.insert(contentsOf: tokens[Int(g.next() % UInt64(tokens.count))], at: position())
        }
        if input.count > 64 * 1024 { input.removeLast(input.count - 64 * 1024) }
    }
}

/// Valid request documents with random routes' fields, parameters, nesting, odd strings and
/// numbers, and (sometimes) duplicate keys, written with random whitespace.
enum RequestGenerator {
    static let words = [
        "What", "is", "the", "capital", "of", "France", "café", "日本", "😀", "\"q\"", "back\\slash", "tab\t", "nul\u{0}", "  ",
    ]
    static let numbers = [
        "0", "-0", "1", "1.0", "1e0", "10E-1", "0.7", "-2.5e-3", "1e308", "1e999", "123456789012345678901234567890", "5e-324",
    ]

    static func request(using g: inout SplitMix64) -> [UInt8] {
        var members: [(String, String)] = [
            ("model", string(["gpt-4o", "openai/gpt-4o-mini", "anthropic/claude", "m"].randomElement(using: &g)!))
        ]
        switch g.next() % 4 {
        case 0:
            let messages = (0..<Int(g.next() % 5)).map { _ in
                "{\"role\":\(string(["user", "system", "assistant", "developer"].randomElement(using: &g)!)),\"content\":\(text(&g))}"
            }
            members.append(("messages", "[" + messages.joined(separator: ",") + "]"))
        case 1: members.append(("prompt", text(&g)))
        case 2: members.append(("input", g.next() % 2 == 0 ? text(&g) : "[\(text(&g)),\(text(&g))]"))
        default: members.append(("instructions", text(&g)))
        }
        for name in RequestInvariants.outputAffecting + ["user", "stream", "metadata"] where g.next() % 4 == 0 {
            members.append((name, value(&g, depth: 0)))
        }
        if g.next() % 5 == 0, let duplicate = members.randomElement(using: &g) { members.append((duplicate.0, value(&g, depth: 0))) }
        members.shuffle(using: &g)
        let ws = [" ", "", "\n", "\t"]
        return Array(("{" + members.map { "\(ws.randomElement(using: &g)!)\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    static func text(_ g: inout SplitMix64) -> String {
        string((0..<Int(1 + g.next() % 6)).map { _ in words.randomElement(using: &g)! }.joined(separator: " "))
    }

    static func string(_ s: String) -> String { CanonicalJSON.string(.string(s)) }

    static func value(_ g: inout SplitMix64, depth: Int) -> String {
        switch g.next() % (depth > 4 ? 4 : 7) {
        case 0: return numbers.randomElement(using: &g)!
        case 1: return text(&g)
        case 2: return ["true", "false", "null"].randomElement(using: &g)!
        case 3: return numbers.randomElement(using: &g)!
        case 4, 5:
            return "[" + (0..<Int(g.next() % 4)).map { _ in value(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{"
                + (0..<Int(g.next() % 4)).map { i in "\(string(["a", "b", "type", "name", "a"][i])):\(value(&g, depth: depth + 1))" }
                .joined(separator: ",") + "}"
        }
    }
}
