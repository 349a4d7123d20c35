import Foundation
import HeimdallEmbedding
import Testing

struct MiniLMParityTests {
    @Test func fixtureHasAllRows() throws {
        #expect(try ReferenceFixture.rows().count == ReferenceFixture.expectedRows)
    }

    @Test func tokenIDsMatchSentenceTransformers() throws {
        let embedder = try SharedModel.embedder.get()
        for row in try ReferenceFixture.rows() {
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
        let rows = try ReferenceFixture.rows()
        var worstDelta: Double = 0
        var worstCosine: Double = 1
        for row in rows {
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
        print("parity [\(variant)]: max |Δ| \(worstDelta), min cosine \(worstCosine) over \(rows.count) rows")
    }

    /// The f16 acceptance gate (docs/hit-quality.md): with half-precision weights every fixture row
    /// stays within cosine 0.999 of this build's f32 embedding and of sentence-transformers'.
    @Test(arguments: KernelVariant.supported)
    func halfPrecisionWeightsStayCloseToF32(variant: KernelVariant) throws {
        let f32 = try SharedModel.embedder.get()
        let f16 = try LocalMiniLMEmbedder(
            modelDirectory: TestEnvironment.modelDirectory, verification: .sizeAndStructure, kernelVariant: variant,
            precision: .f16)
        #expect(f16.precision == .f16 && f32.precision == .f32)
        let rows = try ReferenceFixture.rows()
        var worstToF32: Double = 1
        var worstToReference: Double = 1
        var worstDelta: Double = 0
        for row in rows {
            let half = try f16.embedSynchronously(row.text).vector
            let full = try f32.embedSynchronously(row.text).vector
            let toF32 = Self.cosine(half, full)
            let toReference = Self.cosine(half, row.embedding)
            #expect(toF32 >= 0.999, "\(row.id) (\(row.category)): cosine to f32 \(toF32)")
            #expect(toReference >= 0.999, "\(row.id) (\(row.category)): cosine to the reference \(toReference)")
            worstToF32 = min(worstToF32, toF32)
            worstToReference = min(worstToReference, toReference)
            for i in half.indices { worstDelta = max(worstDelta, abs(Double(half[i]) - Double(full[i]))) }
        }
        print(
            "f16 weights [\(variant)]: min cosine to f32 \(worstToF32), to the reference \(worstToReference), max |Δ| to f32 \(worstDelta)"
        )
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var (dot, normA, normB): (Double, Double, Double) = (0, 0, 0)
        for i in a.indices {
            dot += Double(a[i]) * Double(b[i])
            normA += Double(a[i]) * Double(a[i])
            normB += Double(b[i]) * Double(b[i])
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
