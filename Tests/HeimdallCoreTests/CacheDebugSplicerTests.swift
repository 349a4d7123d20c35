import Testing

@testable import HeimdallCore

@Suite struct CacheDebugSplicerTests {
    let debug = CacheDebug(cacheHit: true, hitType: .direct, cacheID: "id-1", requestedProvider: "openai", requestedModel: "gpt-4o-mini")

    func splice(_ body: String) -> String? {
        CacheDebugSplicer.splice(debug, into: Array(body.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func debugJSONHasContractFieldsOnly() {
        #expect(
            String(decoding: debug.json, as: UTF8.self)
                == #"{"cache_hit":true,"hit_type":"direct","cache_id":"id-1","requested_provider":"openai","requested_model":"gpt-4o-mini"}"#
        )
        let miss = CacheDebug(cacheHit: false, cacheID: "n", threshold: 0.8, similarity: 0.5)
        #expect(String(decoding: miss.json, as: UTF8.self) == #"{"cache_hit":false,"cache_id":"n","threshold":0.8,"similarity":0.5}"#)
    }

    @Test func addsExtraFieldsWhenAbsentAndKeepsEveryOtherByte() throws {
        let body = "{\n  \"id\": \"x\",\n  \"n\": 1.50\n}\n"
        let out = try #require(splice(body))
        #expect(out.hasPrefix("{\n  \"id\": \"x\",\n  \"n\": 1.50\n,\"extra_fields\":{\"cache_debug\":{"))
        #expect(out.hasSuffix("}}}\n"))
        #expect(try JSONParser.parse(out)["extra_fields"]?["cache_debug"]?["cache_id"] == .string("id-1"))
    }

    @Test func keepsOtherExtraFields() throws {
        let out = try #require(splice(#"{"id":"x","extra_fields":{"provider":"openai","latency":12}}"#))
        let parsed = try JSONParser.parse(out)
        #expect(parsed["extra_fields"]?["provider"] == .string("openai"))
        #expect(parsed["extra_fields"]?["latency"] == .number("12"))
        #expect(parsed["extra_fields"]?["cache_debug"]?["cache_hit"] == .bool(true))
    }

    @Test func replacesAnExistingCacheDebug() throws {
        let out = try #require(splice(#"{"extra_fields":{"cache_debug":{"cache_hit":false,"old":1},"x":1}}"#))
        let parsed = try JSONParser.parse(out)
        #expect(parsed["extra_fields"]?["cache_debug"]?["old"] == nil)
        #expect(parsed["extra_fields"]?["cache_debug"]?["cache_hit"] == .bool(true))
        #expect(parsed["extra_fields"]?["x"] == .number("1"))
    }

    @Test func handlesEmptyObjectsAndNullExtraFields() throws {
        #expect(try JSONParser.parse(#require(splice("{}")))["extra_fields"]?["cache_debug"] != nil)
        #expect(try JSONParser.parse(#require(splice(#"{"extra_fields":{}}"#)))["extra_fields"]?["cache_debug"] != nil)
        #expect(try JSONParser.parse(#require(splice(#"{"extra_fields":null}"#)))["extra_fields"]?["cache_debug"] != nil)
    }

    @Test(arguments: ["[1,2]", "\"text\"", "not json", "{\"a\":", ""])
    func leavesNonObjectBodiesAlone(body: String) {
        #expect(splice(body) == nil)
    }
}
