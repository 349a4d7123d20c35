import Testing

@testable import HeimdallCore

@Suite struct PairFeaturesTests {
    func features(_ a: String, _ b: String, similarity: Double = 0.9) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(PairFeatures.names, PairFeatures(query: a, candidate: b, similarity: similarity).values))
    }

    @Test func oneValuePerName() {
        #expect(PairFeatures(query: "a", candidate: "b", similarity: 0.5).values.count == PairFeatures.names.count)
        #expect(Set(PairFeatures.names).count == PairFeatures.names.count)
    }

    @Test func isSymmetricAndIgnoresRoleLabels() {
        let a = "How do I learn Python in 30 days?"
        let b = "What is the fastest way to learn Java?"
        #expect(
            PairFeatures(query: a, candidate: b, similarity: 0.8) == PairFeatures(query: b, candidate: a, similarity: 0.8))
        #expect(
            PairFeatures(query: "user: " + a, candidate: "user: " + b, similarity: 0.8)
                == PairFeatures(query: a, candidate: b, similarity: 0.8))
        #expect(PromptFeatures("user: Note: keep it").words == ["note", "keep", "it"], "only role labels are dropped")
    }

    @Test func identicalPromptsOverlapFully() {
        let f = features("Do eyebrows grow back after shaving?", "Do eyebrows grow back after shaving?", similarity: 1)
        #expect(f["word_jaccard"] == 1 && f["content_jaccard"] == 1 && f["bigram_jaccard"] == 1 && f["trigram_jaccard"] == 1)
        #expect(f["content_only_one_side"] == 0 && f["length_difference"] == 0 && f["length_ratio"] == 1)
        #expect(f["numbers_mismatch"] == 0 && f["question_word_mismatch"] == 0 && f["opening_mismatch"] == 0)
        #expect(f["cosine"] == 1 && f["cosine_log_gap"]! > 6.9, "the gap is capped at 1e-3")
    }

    @Test func flagsWhereTwoPromptsDiffer() {
        let f = features("How far is 5 miles in km?", "What is 50 miles in kilometres?")
        #expect(f["numbers_mismatch"] == 1)
        #expect(f["question_word_mismatch"] == 1)
        #expect(f["negation_mismatch"] == 0 && f["antonym_flip"] == 0)
        #expect(f["content_only_one_side"] == 5, "far, km, kilometres and both numbers")
        #expect(f["long_words_only_one_side"] == 1, "kilometr(es)")
        let g = features("Why is my wifi working before noon?", "Why isn't my wifi working after noon?")
        #expect(g["negation_mismatch"] == 1 && g["antonym_flip"] == 1 && g["question_word_mismatch"] == 0)
        #expect(features("Is Paris in France?", "Is Lyon in France?")["entity_difference"] == 2)
    }

    @Test func stemsMeetTheirInflections() {
        #expect(
            PairFeatures.contentStems(["shaved", "questions", "eyebrows"]) == PairFeatures.contentStems(["shave", "question", "eyebrow"]))
        #expect(PairFeatures.stem("questions") == "question")
        #expect(PairFeatures.stem("learning") == "learn")
        #expect(PairFeatures.stem("is") == "is", "short words are left alone")
    }
}
