import Foundation
import Testing

@testable import HeimdallCore

/// Property-style checks of the direct key: equal requests written differently share a key,
/// and any change that can change the answer changes it.
@Suite struct RequestFingerprintTests {
    static let base = #"""
        {"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of France?"}],
         "temperature":0.7,"top_p":1,"max_tokens":100,"stop":["\n\n","END"],"seed":42,
         "tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{}}}},
                  {"type":"function","function":{"name":"b","parameters":{"type":"object","properties":{"x":{"type":"string"}}}}}],
         "response_format":{"type":"json_object"}}
        """#

    static func key(
        _ json: String, cacheKey: String = "default", tenant: String = "", route: RouteFamily = .chatCompletions,
        options: RequestFingerprint.Options = .init()
    ) throws -> String {
        try RequestFingerprint(route: route, body: JSONParser.parse(json), cacheKey: cacheKey, tenant: tenant, options: options).directKey
    }

    static func edit(_ json: String, _ change: (inout [(key: String, value: JSONValue)]) -> Void) throws -> String {
        var members = try JSONParser.parse(json).uniqueMembers!
        change(&members)
        return CanonicalJSON.string(.object(members))
    }

    /// Rewrites a document with shuffled object members at every depth and whitespace added.
    static func shuffled(_ value: JSONValue, using rng: inout some RandomNumberGenerator) -> String {
        switch value {
        case .object(let members):
            let parts = members.shuffled(using: &rng).map {
                " \(CanonicalJSON.string(.string($0.key))) :\t\(shuffled($0.value, using: &rng))"
            }
            return "{" + parts.joined(separator: " ,\n") + " }"
        case .array(let elements):
            return "[ " + elements.map { shuffled($0, using: &rng) }.joined(separator: " , ") + " ]"
        default:
            return CanonicalJSON.string(value)
        }
    }

    @Test func sameKeyAcrossMemberOrderAndWhitespace() throws {
        let expected = try Self.key(Self.base)
        var rng = SplitMix64(seed: 7)
        let value = try JSONParser.parse(Self.base)
        for _ in 0..<50 {
            #expect(try Self.key(Self.shuffled(value, using: &rng)) == expected)
        }
    }

    /// A pinned value: the key must be the same in every process, run and build (no seeded
    /// hashing, no locale, no float formatting drift). Changing it invalidates every stored entry.
    @Test func keyIsStableAcrossRuns() throws {
        let f = try RequestFingerprint(route: .chatCompletions, body: JSONParser.parse(Self.base), cacheKey: "default", tenant: "")
        #expect(f.directKey == Self.goldenDirectKey)
        #expect(f.partitionKey == Self.goldenPartitionKey)
    }

    // Derived independently in Python: sha256(json.dumps(doc, sort_keys=True, separators=(",", ":"),
    // ensure_ascii=False)) of the documents described in docs/architecture.md.
    static let goldenDirectKey = "a7de1149dd40013095decc57044dde54f53932e4f5dbafded38f79e36e2da35d"
    static let goldenPartitionKey = "9de9722f1cd55cdffff26d33efde663f893e3fa29fc33c66ab49faf3ae6d3549"

    @Test func sameKeyForReorderedToolsAndStops() throws {
        let expected = try Self.key(Self.base)
        let reordered = try Self.edit(Self.base) { members in
            for i in members.indices {
                if case .array(let items) = members[i].value, ["tools", "stop"].contains(members[i].key) {
                    members[i].value = .array(items.reversed())
                }
            }
        }
        #expect(try Self.key(reordered) == expected)
    }

    @Test func sameKeyForEqualNumbersWrittenDifferently() throws {
        let expected = try Self.key(Self.base)
        let respelled = Self.base.replacingOccurrences(of: "\"temperature\":0.7", with: "\"temperature\":7e-1")
            .replacingOccurrences(of: "\"top_p\":1", with: "\"top_p\":1.0").replacingOccurrences(of: "\"seed\":42", with: "\"seed\":4.2E1")
        #expect(respelled != Self.base)
        #expect(try Self.key(respelled) == expected)
    }

    @Test func sameKeyForTextThatDiffersOnlyInCaseAndOuterWhitespace() throws {
        let expected = try Self.key(Self.base)
        let variant = Self.base.replacingOccurrences(of: "What is the capital of France?", with: "  what is THE capital of france?\\n\\t")
        #expect(try Self.key(variant) == expected)
    }

    @Test func userAndStreamFalseDoNotChangeTheKey() throws {
        let expected = try Self.key(Self.base)
        #expect(try Self.key(Self.edit(Self.base) { $0.append(("user", .string("alice"))) }) == expected)
        #expect(try Self.key(Self.edit(Self.base) { $0.append(("stream", .bool(false))) }) == expected)
    }

    @Test(arguments: [
        ("temperature", JSONValue.number("0.8")), ("top_p", .number("0.9")), ("max_tokens", .number("101")),
        ("max_completion_tokens", .number("100")), ("stop", .array([.string("END")])), ("presence_penalty", .number("0.5")),
        ("frequency_penalty", .number("0.5")), ("logit_bias", .object([("50256", .number("-100"))])), ("n", .number("2")),
        ("seed", .number("43")), ("response_format", .object([("type", .string("text"))])), ("tools", .array([])),
        ("tool_choice", .string("required")), ("parallel_tool_calls", .bool(false)), ("reasoning_effort", .string("high")),
        ("logprobs", .bool(true)), ("top_logprobs", .number("3")), ("stream", .bool(true)),
        ("some_future_parameter", .string("x")),
    ])
    func everyOutputAffectingParameterChangesTheKey(name: String, value: JSONValue) throws {
        let changed = try Self.edit(Self.base) { members in
            members.removeAll { $0.key == name }
            members.append((name, value))
        }
        #expect(try Self.key(changed) != Self.key(Self.base), "\(name)")
    }

    @Test func inputModelNamespaceTenantAndRouteChangeTheKey() throws {
        let base = try Self.key(Self.base)
        #expect(try Self.key(Self.base.replacingOccurrences(of: "France", with: "Spain")) != base)
        #expect(try Self.key(Self.base.replacingOccurrences(of: "Be brief.", with: "Be long.")) != base)
        #expect(try Self.key(Self.base.replacingOccurrences(of: "openai/gpt-4o-mini", with: "openai/gpt-4o")) != base)
        #expect(try Self.key(Self.base.replacingOccurrences(of: "openai/gpt-4o-mini", with: "azure/gpt-4o-mini")) != base)
        #expect(try Self.key(Self.base, cacheKey: "other") != base)
        #expect(try Self.key(Self.base, tenant: "t1") != base)
    }

    @Test func cacheByModelAndProviderCanBeTurnedOff() throws {
        let options = RequestFingerprint.Options(cacheByModel: false, cacheByProvider: false)
        let a = try Self.key(Self.base, options: options)
        #expect(try Self.key(Self.base.replacingOccurrences(of: "openai/gpt-4o-mini", with: "anthropic/claude"), options: options) == a)
        let byModelOnly = RequestFingerprint.Options(cacheByModel: true, cacheByProvider: false)
        #expect(
            try Self.key(Self.base, options: byModelOnly)
                == Self.key(Self.base.replacingOccurrences(of: "openai/gpt-4o-mini", with: "azure/gpt-4o-mini"), options: byModelOnly))
    }

    @Test func imageURLsAndToolArgumentsKeepTheirCase() throws {
        let a =
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AbC"}}]}]}"#
        let b = a.replacingOccurrences(of: "AbC", with: "abc")
        #expect(try Self.key(a) != Self.key(b))
        #expect(try Self.key(a) == Self.key(a.replacingOccurrences(of: "Describe", with: "describe")))
    }

    @Test func partitionLeavesOutOnlyTheInput() throws {
        let a = try RequestFingerprint(route: .chatCompletions, body: JSONParser.parse(Self.base), cacheKey: "k", tenant: "")
        let b = try RequestFingerprint(
            route: .chatCompletions, body: JSONParser.parse(Self.base.replacingOccurrences(of: "France", with: "Peru")), cacheKey: "k",
            tenant: "")
        let c = try RequestFingerprint(
            route: .chatCompletions, body: JSONParser.parse(Self.base.replacingOccurrences(of: "0.7", with: "0.2")), cacheKey: "k",
            tenant: "")
        #expect(a.partitionKey == b.partitionKey)
        #expect(a.directKey != b.directKey)
        #expect(a.partitionKey != c.partitionKey)
    }

    @Test func semanticTextAndRequestedModel() throws {
        let f = try RequestFingerprint(route: .chatCompletions, body: JSONParser.parse(Self.base), cacheKey: "k", tenant: "")
        #expect(f.semanticText == "system: Be brief.\nuser: What is the capital of France?")
        #expect(f.messageCount == 2)
        #expect(f.requestedModel == ModelName(provider: "openai", model: "gpt-4o-mini"))
        let noSystem = try RequestFingerprint(
            route: .chatCompletions, body: JSONParser.parse(Self.base), cacheKey: "k", tenant: "",
            options: .init(excludeSystemPrompt: true))
        #expect(noSystem.semanticText == "user: What is the capital of France?")
        #expect(ModelName("gpt-4o") == ModelName(provider: nil, model: "gpt-4o"))
        #expect(ModelName("openrouter/meta-llama/llama-3") == ModelName(provider: "openrouter", model: "meta-llama/llama-3"))
    }

    @Test func otherRoutes() throws {
        let completion = try RequestFingerprint(
            route: .textCompletions, body: JSONParser.parse(#"{"model":"m","prompt":"Say hi"}"#), cacheKey: "k", tenant: "")
        #expect(completion.semanticText == "Say hi")
        let responses = try RequestFingerprint(
            route: .responses,
            body: JSONParser.parse(
                #"{"model":"m","instructions":"Be kind","input":[{"role":"user","content":[{"type":"input_text","text":"Hello"}]}]}"#),
            cacheKey: "k", tenant: "")
        #expect(responses.semanticText == "system: Be kind\nuser: Hello")
        let embeddingA = try Self.key(#"{"model":"m","input":"Hello"}"#, route: .embeddings)
        #expect(try embeddingA != Self.key(#"{"model":"m","input":"Hello"}"#, route: .textCompletions))
        #expect(throws: RequestShapeError.self) {
            try RequestFingerprint(route: .chatCompletions, body: JSONParser.parse(#"{"model":"m"}"#), cacheKey: "k", tenant: "")
        }
        #expect(throws: RequestShapeError.self) {
            try RequestFingerprint(route: .chatCompletions, body: JSONParser.parse("[1]"), cacheKey: "k", tenant: "")
        }
    }

    @Test func routesAreClassifiedByMethodAndExactPath() {
        #expect(RouteFamily.classify(method: "POST", path: "/v1/chat/completions") == .chatCompletions)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/chat/completions?x=1") == .chatCompletions)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/responses") == .responses)
        #expect(RouteFamily.classify(method: "GET", path: "/v1/chat/completions") == nil)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/responses/resp_1/cancel") == nil)
        #expect(RouteFamily.classify(method: "POST", path: "/v1/files") == nil)
        #expect(RouteFamily.classify(method: "POST", path: "/openai/v1/chat/completions") == nil)
    }
}
