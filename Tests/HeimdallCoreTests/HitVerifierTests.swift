import Testing

@testable import HeimdallCore

@Suite struct HitVerifierTests {
    /// A verifier that only looks at the cosine: probability 0.5 at cosine 0.95.
    static let cosineOnly: HitVerifier = {
        var weights = [Double](repeating: 0, count: PairFeatures.names.count)
        weights[0] = 100
        var means = [Double](repeating: 0, count: PairFeatures.names.count)
        means[0] = 0.95
        return HitVerifier(
            means: means, scales: [Double](repeating: 1, count: PairFeatures.names.count), weights: weights, bias: 0, cutoff: 0.5,
            calibratedThreshold: 0.9, trainedWith: "test")
    }()

    @Test func decisionRuleIsProbabilityAtLeastTheCutoff() {
        let v = Self.cosineOnly
        #expect(abs(v.probability(query: "a", candidate: "b", similarity: 0.95) - 0.5) < 1e-12)
        #expect(v.accepts(query: "a", candidate: "b", similarity: 0.96))
        #expect(!v.accepts(query: "a", candidate: "b", similarity: 0.94))
        let guarded = HitQualityGuard(checks: [.numbers, .verifier], verifier: v)
        #expect(guarded.rejection(query: "a", candidate: "b", similarity: 0.94) == .verifier)
        #expect(guarded.rejection(query: "5 a", candidate: "6 a", similarity: 0.99) == .numbers, "rules run first")
        #expect(guarded.accepts(query: "a", candidate: "b", similarity: 0.99))
        #expect(HitQualityGuard(checks: [.numbers], verifier: v).accepts(query: "a", candidate: "b", similarity: 0.5))
    }

    @Test func sigmoidIsStableAtTheExtremes() {
        #expect(HitVerifier.sigmoid(1000) == 1 && HitVerifier.sigmoid(-1000) == 0)
        #expect(HitVerifier.sigmoid(0) == 0.5)
    }

    @Test func weightsFileRoundTrips() throws {
        let v = Self.cosineOnly
        #expect(try HitVerifier(json: v.jsonText) == v)
        #expect(v.swiftSource.contains("public static let trained = HitVerifier("))
    }

    @Test func rejectsWeightsForOtherFeatures() {
        let text = Self.cosineOnly.jsonText.replacing("\"cosine\"", with: "\"cos\"")
        #expect(throws: HitVerifier.FormatError.self) { try HitVerifier(json: text) }
        #expect(throws: HitVerifier.FormatError.self) { try HitVerifier(json: "{}") }
    }

    @Test func builtInWeightsFitThisBuild() {
        let v = HitVerifier.trained
        #expect(v.features == PairFeatures.names)
        #expect([v.means, v.scales, v.weights].allSatisfy { $0.count == PairFeatures.names.count })
        #expect(v.scales.allSatisfy { $0 > 0 })
        #expect((0..<1).contains(v.cutoff))
    }
}
