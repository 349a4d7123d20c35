import Foundation
import HeimdallEmbedding
import Testing

@Suite(.enabled(if: TestEnvironment.modelInstalled, TestEnvironment.modelSkipReason))
struct MiniLMParityTests {
    @Test func fixtureHasAllRows() throws {
        #expect(ReferenceFixture.rows.count == 40, "expected 40 rows in \(TestEnvironment.fixtureName) (set HEIMDALL_FIXTURES)")
    }

    @Test func tokenIDsMatchSentenceTransformers() throws {
        let embedder = try SharedModel.embedder.get()
        #expect(ReferenceFixture.rows.count == 40)
        for row in ReferenceFixture.rows {
            let ids = embedder.tokenIDs(row.text)
            #expect(ids == row.input_ids, "\(row.id) (\(row.category))")
            #expect(ids.count == row.num_tokens, "\(row.id)")
        }
    }

    @Test(arguments: KernelVariant.supported)
    func embeddingsMatchSentenceTransformers(variant: KernelVariant) throws {
        let shared = try SharedModel.embedder.get()
        let embedder =
            variant == shared.kernelVariant
            ? shared
            : try LocalMiniLMEmbedder(
                modelDirectory: TestEnvironment.modelDirectory, verification: .sizeAndStructure, kernelVariant: variant)
        #expect(embedder.kernelVariant == variant)
        #expect(ReferenceFixture.rows.count == 40)
        var worstDelta: Double = 0
        var worstCosine: Double = 1
        for row in ReferenceFixture.rows {
            let embedding = try embedder.embedSynchronously(row.text)
            #expect(embedding.vector.count == 384)
            #expect(embedding.inputTokens == row.num_tokens, "\(row.id)")
            var delta: Double = 0
            var dot: Double = 0
            var norm: Double = 0
            var referenceNorm: Double = 0
            for i in 0..<384 {
                let (value, reference) = (Double(embedding.vector[i]), Double(row.embedding[i]))
                delta = max(delta, abs(value - reference))
                dot += value * reference
                norm += value * value
                referenceNorm += reference * reference
            }
            let cosine = dot / (norm.squareRoot() * referenceNorm.squareRoot())
            #expect(delta <= 1e-5, "\(row.id) (\(row.category)): max |Δ| \(delta)")
            #expect(cosine >= 0.99999, "\(row.id) (\(row.category)): cosine \(cosine)")
            #expect(abs(norm - 1) < 1e-5, "\(row.id): squared norm \(norm)")
            worstDelta = max(worstDelta, delta)
            worstCosine = min(worstCosine, cosine)
        }
        print("parity [\(variant)]: max |Δ| \(worstDelta), min cosine \(worstCosine) over \(ReferenceFixture.rows.count) rows")
    }
}
