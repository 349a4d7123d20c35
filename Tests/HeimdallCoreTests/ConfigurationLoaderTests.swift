import Foundation
import Testing

@testable import HeimdallCore

@Suite struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader()

    func file(_ json: String) -> (path: String, contents: [UInt8]) { ("test.json", Array(json.utf8)) }

    @Test func defaultsMatchTheContract() throws {
        let c = try loader.load(file: nil, environment: [:], commandLine: [:])
        #expect(c.listen.description == "127.0.0.1:8088")
        #expect(c.admin.description == "127.0.0.1:8089")
        #expect(c.upstream == "http://127.0.0.1:8080")
        #expect(c.db == "./heimdall.sqlite")
        #expect(c.defaultCacheKey == "default")
        #expect(c.cacheByModel && c.cacheByProvider && !c.shareAcrossTenants)
        #expect(c.maxRequestBodyBytes == 32 * 1024 * 1024)
        #expect(c.maxResponseBytes == 8 * 1024 * 1024)
    }

    @Test func commandLineBeatsEnvironmentBeatsFile() throws {
        let f = file(#"{"listen":"127.0.0.1:1","upstream":"http://file:1","db":"file.sqlite","ttl":"1m"}"#)
        let env = ["HEIMDALL_LISTEN": "127.0.0.1:2", "HEIMDALL_UPSTREAM": "http://env:2", "UNRELATED": "x"]
        let c = try loader.load(file: f, environment: env, commandLine: ["listen": "127.0.0.1:3"])
        #expect(c.listen.port == 3)
        #expect(c.upstream == "http://env:2")
        #expect(c.db == "file.sqlite")
        #expect(c.ttlSeconds == 60)
    }

    @Test func unknownFileKeyIsAnErrorNamingIt() {
        #expect {
            try loader.load(file: file(#"{"listen":"127.0.0.1:1","thresold":0.9}"#), environment: [:], commandLine: [:])
        } throws: { error in
            "\(error)".contains("\"thresold\"") && "\(error)".contains("test.json")
        }
    }

    @Test(arguments: [
        (#"{"listen":"nope"}"#, "listen"), (#"{"cache_by_model":"yes"}"#, "cache_by_model"), (#"{"ttl":-1}"#, "ttl"),
        (#"{"upstream":"ftp://x"}"#, "upstream"), (#"{"compression_level":12}"#, "compression_level"),
        (#"{"max_request_body_bytes":"big"}"#, "max_request_body_bytes"), (#"{"log_level":"loud"}"#, "log_level"),
        (#"{"embedding_precision":"int8"}"#, "embedding_precision"),
        (#"{"vector_index":"hnsw"}"#, "vector_index"), (#"{"ivf_nprobe":-1}"#, "ivf_nprobe"),
        ("[1]", "JSON object"), ("{", "not valid JSON"),
    ])
    func badFileValuesAreErrorsNamingTheKey(json: String, mention: String) {
        #expect {
            try loader.load(file: file(json), environment: [:], commandLine: [:])
        } throws: { error in
            "\(error)".contains(mention)
        }
    }

    @Test func embeddingPrecisionFromFileAndEnvironment() throws {
        #expect(
            try loader.load(file: file(#"{"embedding_precision":"f16"}"#), environment: [:], commandLine: [:]).embeddingPrecision == .f16)
        let env = ["HEIMDALL_EMBEDDING_PRECISION": "f32"]
        #expect(
            try loader.load(file: file(#"{"embedding_precision":"f16"}"#), environment: env, commandLine: [:]).embeddingPrecision == .f32)
    }

    /// The settings that used to be environment switches, and the choice settings' enums.
    @Test func fastPathExecutorAndISASettings() throws {
        let defaults = try loader.load(file: nil, environment: [:], commandLine: [:])
        #expect(defaults.fastPath && defaults.nioExecutor && defaults.vectorISA == .auto)
        let c = try loader.load(
            file: file(#"{"fast_path":false,"vector_isa":"avx2"}"#), environment: ["HEIMDALL_NIO_EXECUTOR": "0"], commandLine: [:])
        #expect(!c.fastPath && !c.nioExecutor && c.vectorISA == .avx2)
        do {
            _ = try loader.load(file: file(#"{"vector_isa":"neon"}"#), environment: [:], commandLine: [:])
            Issue.record("an unknown ISA is refused")
        } catch {
            #expect(error.description.contains("auto|avx512|avx2|scalar"), "\(error)")
            #expect(error.description.contains("\"neon\""))
        }
    }

    @Test func vectorIndexSettings() throws {
        let defaults = try loader.load(file: nil, environment: [:], commandLine: [:])
        #expect(defaults.vectorIndex == .ivf && defaults.ivfNprobe == 16)
        let c = try loader.load(
            file: file(#"{"vector_index":"flat"}"#), environment: ["HEIMDALL_IVF_NPROBE": "0"], commandLine: [:])
        #expect(c.vectorIndex == .flat && c.ivfNprobe == 0)
    }

    @Test func badEnvironmentValueNamesTheVariable() {
        #expect {
            try loader.load(file: nil, environment: ["HEIMDALL_SHARE_ACROSS_TENANTS": "maybe"], commandLine: [:])
        } throws: { error in
            "\(error)".contains("HEIMDALL_SHARE_ACROSS_TENANTS")
        }
    }

    @Test func hostAndPortParsing() {
        #expect(HostAndPort("0.0.0.0:80") == HostAndPort(host: "0.0.0.0", port: 80))
        #expect(HostAndPort("[::1]:8088") == HostAndPort(host: "::1", port: 8088))
        #expect(HostAndPort(":9") == HostAndPort(host: "0.0.0.0", port: 9))
        #expect(HostAndPort("host") == nil)
        #expect(HostAndPort("h:70000") == nil)
        #expect(HostAndPort("127.0.0.2:1")!.isLoopback)
        #expect(!HostAndPort("10.0.0.1:1")!.isLoopback)
    }

    /// The shipped example must load, equal the defaults, and document every key.
    @Test func shippedExampleAndDocsCoverEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try Data(contentsOf: root.appendingPathComponent("config/heimdall.json"))
        let loaded = try loader.load(file: ("config/heimdall.json", Array(example)), environment: [:], commandLine: [:])
        #expect(loaded == HeimdallConfiguration())
        let keysInExample = try JSONParser.parse(Array(example)).uniqueMembers!.map(\.key)
        let docs = try String(contentsOf: root.appendingPathComponent("config/README.md"), encoding: .utf8)
        for key in HeimdallConfiguration.keys.map(\.name) {
            #expect(keysInExample.contains(key), "config/heimdall.json lacks \(key)")
            #expect(docs.contains("`\(key)`"), "config/README.md lacks \(key)")
        }
        #expect(keysInExample == HeimdallConfiguration.keys.map(\.name), "config/heimdall.json lists the keys in the table's order")
        // The README's default column says what the example (and so the code) holds.
        for (key, value) in try JSONParser.parse(Array(example)).uniqueMembers! {
            let row = try #require(docs.split(separator: "\n").first { $0.hasPrefix("| `\(key)` |") }, "\(key)")
            let cell = row.split(separator: "|", omittingEmptySubsequences: false)[2]
            let documented = cell.split(separator: "`", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
            let actual = value.stringValue.map { "\"\($0)\"" } ?? CanonicalJSON.string(value)
            #expect(
                documented == actual || "\"\(documented)\"" == actual,
                "config/README.md says \(key) defaults to \(documented), the code \(actual)")
        }
    }
}

@Suite struct AdminTokenTests {
    @Test func acceptsOnlyTheExactBearerToken() throws {
        let token = try #require(AdminToken("s3cret-Token"))
        #expect(token.authorizes(header: "Bearer s3cret-Token"))
        #expect(token.authorizes(header: "bearer s3cret-Token"))
        for wrong in [
            nil, "", "Bearer", "Bearer ", "Bearer s3cret-token", "Bearer s3cret-Token ", "Bearer s3cret-Toke",
            "Bearer s3cret-Tokenx", "Basic s3cret-Token", "s3cret-Token",
        ] as [String?] {
            #expect(!token.authorizes(header: wrong), "\(wrong ?? "nil")")
        }
    }

    @Test func emptyOrUnprintableIsNoToken() {
        #expect(AdminToken("") == nil)
        #expect(AdminToken("has space") == nil)
        #expect(AdminToken("tab\there") == nil)
        #expect(AdminToken("ünïcode") == nil)
    }

    @Test func neverPrints() throws {
        let token = try #require(AdminToken("s3cret-Token"))
        #expect("\(token)" == "<redacted>")
        #expect(String(reflecting: token) == "<redacted>")
    }

    @Test func loadsFromFileEnvironmentAndFlagWithoutEchoingIt() throws {
        let loader = ConfigurationLoader()
        let fromFile = try loader.load(
            file: ("c.json", Array(#"{"admin_token": "file-token"}"#.utf8)), environment: [:], commandLine: [:])
        #expect(fromFile.adminToken == AdminToken("file-token"))
        let fromEnvironment = try loader.load(
            file: ("c.json", Array(#"{"admin_token": "file-token"}"#.utf8)), environment: ["HEIMDALL_ADMIN_TOKEN": "env-token"],
            commandLine: [:])
        #expect(fromEnvironment.adminToken == AdminToken("env-token"))
        let fromFlag = try loader.load(
            file: nil, environment: ["HEIMDALL_ADMIN_TOKEN": "env-token"], commandLine: ["admin_token": "flag-token"])
        #expect(fromFlag.adminToken == AdminToken("flag-token"))
        #expect(try loader.load(file: nil, environment: [:], commandLine: [:]).adminToken == nil)
        #expect(
            try loader.load(file: ("c.json", Array(#"{"admin_token": ""}"#.utf8)), environment: [:], commandLine: [:]).adminToken == nil)
        do {
            _ = try loader.load(file: nil, environment: ["HEIMDALL_ADMIN_TOKEN": "bad secret"], commandLine: [:])
            Issue.record("a token with a space is refused")
        } catch {
            #expect(error.description.contains("admin_token"))
            #expect(!error.description.contains("bad secret"), "the value is never echoed")
        }
    }
}
