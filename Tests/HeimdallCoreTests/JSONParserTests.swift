import Testing

@testable import HeimdallCore

@Suite struct JSONParserTests {
    @Test func parsesEveryValueKind() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null, "x\"\u00e9\ud83d\ude00"], "b": {}} "#)
        #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("x\"é😀")]))
        #expect(value["b"] == .object([]))
    }

    @Test func duplicateKeysResolveToTheLastOne() throws {
        let value = try JSONParser.parse(#"{"model":"a","model":"b"}"#)
        #expect(value["model"] == .string("b"))
        #expect(value.uniqueMembers?.count == 1)
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd),
        ("{", .unexpectedEnd),
        ("{\"a\" 1}", .unexpectedCharacter),
        ("[1,]", .unexpectedCharacter),
        ("01", .trailingData),
        ("1.", .invalidNumber),
        ("-", .unexpectedEnd),
        ("\"\\x\"", .invalidString),
        ("\"a\nb\"", .invalidString),
        ("\"\\ud800\"", .invalidString),
        ("tru", .unexpectedEnd),
        ("{} x", .trailingData),
    ])
    func rejectsMalformedInput(text: String, reason: JSONParseError.Reason) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.reason == reason, "\(text.debugDescription): \(error)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = Array("{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(throws: JSONParseError(reason: .invalidUTF8, offset: 6)) { try JSONParser.parse(bytes) }
    }

    @Test func boundsNestingDepthInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONParser.parse(fine)) != nil)
    }
}
