import HeimdallCore

/// What must hold for any bytes a client can send (docs/reliability.md): shared by the seeded
/// mutation test that runs with `swift test` and the libFuzzer target in `Tests/Fuzz`.
///
/// - parsing never crashes, and rejects rather than repairs (invalid UTF-8, depth > 128);
/// - the canonical form parses again and is a fixed point (parse → canonical → parse);
/// - keys are deterministic, and equal for the canonical form and for any re-serialisation
///   that reorders members or changes whitespace;
/// - the direct key changes with every output-affecting parameter, the model, the cache key
///   and the tenant, and not with `user`;
/// - cache headers and durations never crash and stay in range.
public enum RequestInvariants {
    /// A broken invariant, with enough context to reproduce it.
    public struct Violation: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parameters the key must depend on (docs/behaviour.md §3), plus one the proxy has never heard of.
    public static let outputAffecting = [
        "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "presence_penalty", "frequency_penalty",
        "logit_bias", "n", "seed", "response_format", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort",
        "logprobs", "top_logprobs", "x_never_seen_before",
    ]

    /// Runs every check on one input; `shuffleSeed` drives the member-order shuffle.
    public static func check(_ bytes: [UInt8], shuffleSeed: UInt64 = 0) throws(Violation) {
        try checkHeaders(String(decoding: bytes.prefix(256), as: UTF8.self))
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return
        }
        try checkCanonicalForm(value)
        try checkKeys(value, shuffleSeed: shuffleSeed)
    }

    static func checkCanonicalForm(_ value: JSONValue) throws(Violation) {
        let canonical = CanonicalJSON.encode(value)
        let reparsed: JSONValue
        do {
            reparsed = try JSONParser.parse(canonical, maxDepth: JSONParser.defaultMaxDepth + 1)
        } catch {
            throw Violation(description: "canonical form does not parse (\(error)): \(preview(canonical))")
        }
        let again = CanonicalJSON.encode(reparsed)
        guard again == canonical else {
            throw Violation(description: "canonical form is not a fixed point: \(preview(canonical)) became \(preview(again))")
        }
    }

    static func checkKeys(_ body: JSONValue, shuffleSeed: UInt64) throws(Violation) {
        guard body.objectMembers != nil else { return }
        for route in RouteFamily.allCases {
            guard let original = fingerprint(route, body) else { continue }
            guard let twice = fingerprint(route, body), twice.directKey == original.directKey,
                twice.partitionKey == original.partitionKey
            else { throw Violation(description: "\(route) key is not deterministic for \(preview(body))") }

            let canonical = try? JSONParser.parse(CanonicalJSON.encode(body), maxDepth: JSONParser.defaultMaxDepth + 1)
            guard let canonical, let same = fingerprint(route, canonical), same.directKey == original.directKey else {
                throw Violation(description: "\(route) key differs for the canonical form of \(preview(body))")
            }
            var generator = SplitMix64(seed: shuffleSeed)
            let shuffled = Reserialiser.shuffledBytes(body, using: &generator)
            guard let reordered = try? JSONParser.parse(shuffled, maxDepth: JSONParser.defaultMaxDepth + 1),
                let other = fingerprint(route, reordered), other.directKey == original.directKey
            else {
                throw Violation(
                    description: "\(route) key differs after reordering members: \(preview(body)) vs \(preview(shuffled))")
            }

            // The parameter checks cost ~25 keys; one route per input (chosen by the seed) keeps runs fast.
            guard route == RouteFamily.allCases[Int(shuffleSeed % UInt64(RouteFamily.allCases.count))] else { continue }
            for name in outputAffecting {
                let current = body[name].map(CanonicalJSON.encode)
                let replacement: JSONValue = current == Array("987654321".utf8) ? .number("123456789") : .number("987654321")
                guard let changed = fingerprint(route, setting(name, to: replacement, in: body)) else { continue }
                if changed.directKey == original.directKey {
                    throw Violation(description: "\(route) key ignores \(name) = \(CanonicalJSON.string(replacement)) in \(preview(body))")
                }
            }
            if let changed = fingerprint(route, setting("user", to: .string("someone-else-\(shuffleSeed)"), in: body)),
                changed.directKey != original.directKey
            {
                throw Violation(description: "\(route) key depends on `user` in \(preview(body))")
            }
            let model = body["model"]?.stringValue == "fuzz/other-model" ? "fuzz/another-model" : "fuzz/other-model"
            if let changed = fingerprint(route, setting("model", to: .string(model), in: body)), changed.directKey == original.directKey {
                throw Violation(description: "\(route) key ignores the model in \(preview(body))")
            }
            for (cacheKey, tenant) in [("other-namespace", "t"), ("k", "other-tenant")] {
                if let changed = fingerprint(route, body, cacheKey: cacheKey, tenant: tenant), changed.directKey == original.directKey {
                    throw Violation(description: "\(route) key ignores the cache key or tenant")
                }
            }
        }
    }

    static func fingerprint(_ route: RouteFamily, _ body: JSONValue, cacheKey: String = "k", tenant: String = "t") -> RequestFingerprint? {
        try? RequestFingerprint(route: route, body: body, cacheKey: cacheKey, tenant: tenant)
    }

    static func setting(_ name: String, to value: JSONValue, in body: JSONValue) -> JSONValue {
        var members = (body.uniqueMembers ?? []).filter { $0.key != name }
        members.append((name, value))
        return .object(members)
    }

    /// The cache headers parse any text without crashing and stay within their documented ranges.
    static func checkHeaders(_ text: String) throws(Violation) {
        for name in [
            CacheDirectives.keyHeader, CacheDirectives.ttlHeader, CacheDirectives.thresholdHeader, CacheDirectives.typeHeader,
            CacheDirectives.noStoreHeader,
        ] {
            let directives = CacheDirectives(header: { $0 == name ? text : nil }, defaultCacheKey: "default")
            if let ttl = directives.ttlSeconds, !(ttl > 0 && ttl.isFinite) {
                throw Violation(description: "x-bf-cache-ttl \(text.debugDescription) gave \(ttl) s")
            }
            if let threshold = directives.threshold, !(0...1).contains(threshold) {
                throw Violation(description: "x-bf-cache-threshold \(text.debugDescription) gave \(threshold)")
            }
        }
        if let seconds = GoDuration.seconds(text), !seconds.isFinite {
            throw Violation(description: "duration \(text.debugDescription) gave \(seconds) s")
        }
    }

    static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        return bytes.count > 300 ? text + "…(\(bytes.count) bytes)" : text
    }

    static func preview(_ value: JSONValue) -> String { preview(CanonicalJSON.encode(value)) }
}
