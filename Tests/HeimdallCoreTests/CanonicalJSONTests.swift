import Testing

@testable import HeimdallCore

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysAtEveryDepthAndDropsWhitespace() throws {
        let value = try JSONParser.parse(#"{ "b": {"y": 1, "x": [ {"d":1, "c":2} ]}, "a": "s" }"#)
        #expect(CanonicalJSON.string(value) == #"{"a":"s","b":{"x":[{"c":2,"d":1}],"y":1}}"#)
    }

    @Test(arguments: [
        (["1", "1.0", "1e0", "10E-1", "0.1e1", "1.00000"], "1"),
        (["0.1", "1e-1", "0.10", "10e-2"], "0.1"),
        (["0", "-0", "0.0", "0e10"], "0"),
        (["-3", "-3.0", "-0.3e1"], "-3"),
        (["0.7", "0.70", "7E-1"], "0.7"),
    ])
    func spellsEqualNumbersOneWay(spellings: [String], canonical: String) {
        for spelling in spellings {
            #expect(CanonicalJSON.canonicalNumber(spelling) == canonical, "\(spelling)")
        }
    }

    @Test func keepsHugeIntegersApart() {
        #expect(CanonicalJSON.canonicalNumber("123456789012345678901") != CanonicalJSON.canonicalNumber("123456789012345678902"))
        #expect(CanonicalJSON.canonicalNumber("1e400") != CanonicalJSON.canonicalNumber("1e401"))
    }

    @Test func escapesStringsOneWay() throws {
        let value = try JSONParser.parse(#"["\u0041\/\n\u0001"]"#)
        #expect(CanonicalJSON.string(value) == #"["A/\n\u0001"]"#)
    }
}
