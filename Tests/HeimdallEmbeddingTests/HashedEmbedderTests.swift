import Testing

@testable import HeimdallEmbedding

struct HashedEmbedderTests {
    let embedder = HashedEmbedder()

    @Test func describesItself() {
        #expect(embedder.provider == "local")
        #expect(embedder.model == "hashed-ngram-384")
        #expect(embedder.dimensions == 384)
    }

    @Test func vectorsAreUnitNorm() async throws {
        for text in ["How do I reset my password?", "", "   ", "🙂", "a", String(repeating: "long text ", count: 500)] {
            let vector = try await embedder.embed(text).vector
            #expect(vector.count == 384)
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5, "\(text.prefix(20)): norm \(norm)")
        }
    }

    @Test func deterministicAcrossInstances() {
        let text = "What is the capital city of France?"
        #expect(HashedEmbedder().embedSynchronously(text) == HashedEmbedder().embedSynchronously(text))
    }

    /// FNV-1a is fixed by its definition, so these values hold in every process on every machine
    /// (Swift's `Hasher` would change them per run). Known-answer tests of the hash itself:
    @Test func fnv1aKnownAnswers() {
        func fnv(_ text: String) -> UInt64 {
            var hash = FNV1a()
            for byte in text.utf8 { hash.combine(byte) }
            return hash.value
        }
        #expect(fnv("") == 0xcbf2_9ce4_8422_2325)
        #expect(fnv("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(fnv("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func similarTextsAreCloserThanUnrelatedOnes() {
        let base = embedder.embedSynchronously("How do I reset my password?")
        let similar = embedder.embedSynchronously("how do i reset my password")
        let reworded = embedder.embedSynchronously("How can I reset my account password?")
        let unrelated = embedder.embedSynchronously("Best pizza toppings for a summer party")
        #expect(base.cosine(similar) > 0.99, "case and punctuation do not matter")
        #expect(base.cosine(reworded) > base.cosine(unrelated) + 0.3)
        #expect(base.cosine(unrelated) < 0.3)
    }

    @Test func countsWordsAsInputTokens() {
        #expect(embedder.embedSynchronously("one two, three!").inputTokens == 3)
        #expect(embedder.embedSynchronously("").inputTokens == 0)
    }
}
