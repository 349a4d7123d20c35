import Testing

@testable import HeimdallCore

@Suite struct HitQualityGuardTests {
    let all = HitQualityGuard(checks: [.numbers, .negation, .antonyms, .entities])

    @Test(arguments: [
        ("How far is 5 miles in km?", "How far is 50 miles in km?", HitQualityGuard.Check.numbers),
        ("Is 3.5 bigger than 3?", "Is 3.6 bigger than 3?", .numbers),
        ("writer 5 prompt 4: summarise the draft", "writer 4 prompt 5: summarise the draft", .numbers),
        ("Why is my wifi working?", "Why is my wifi not working?", .negation),
        ("Why doesn't Python start?", "Why does Python start?", .negation),
        ("What should I do before an interview?", "What should I do after an interview?", .antonyms),
        ("How do I enable two-factor login?", "How do I disable two-factor login?", .antonyms),
        ("What is the capital of France?", "What is the capital of Germany?", .entities),
    ])
    func rejectsPromptsThatAskDifferentThings(a: String, b: String, check: HitQualityGuard.Check) {
        #expect(all.rejection(query: a, candidate: b, similarity: 0.99) == check)
        #expect(HitQualityGuard(checks: [check]).rejection(query: b, candidate: a, similarity: 0.99) == check, "symmetric")
    }

    @Test(arguments: [
        ("What is the capital of France?", "what's the capital of France?"),
        ("How do I learn Python in 30 days?", "How can I learn Python within 30 days?"),
        ("Why isn't my code compiling?", "Why is my code not compiling?"),
        ("Is it bad to sleep late?", "Is sleeping late bad?"),
        ("How can I lose weight fast?", "What are the fastest ways to lose weight?"),
    ])
    func acceptsParaphrases(a: String, b: String) {
        #expect(HitQualityGuard(checks: [.numbers, .negation, .antonyms]).accepts(query: a, candidate: b, similarity: 0.99), "\(a) / \(b)")
    }

    @Test func parsesItsConfigurationSpelling() {
        #expect(HitQualityGuard("numbers,negation")?.checks == [.numbers, .negation])
        #expect(HitQualityGuard("all")?.checks == Set(HitQualityGuard.Check.allCases))
        #expect(HitQualityGuard("none")?.checks == [])
        #expect(HitQualityGuard("numbers,typo") == nil)
        #expect(HitQualityGuard("numbers,negation,antonyms,verifier")?.checks == [.numbers, .negation, .antonyms, .verifier])
        #expect(HitQualityGuard("verifier")?.verifier == .trained)
        #expect(HitQualityGuard.none.accepts(query: "5", candidate: "6", similarity: 0.99))
        #expect(HitQualityGuard("negation,numbers")?.description == "numbers,negation")
    }
}
