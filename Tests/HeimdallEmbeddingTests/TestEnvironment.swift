import Foundation
import HeimdallEmbedding
import Testing

/// Locations of the shared parity fixture and the installed model, resolved the same way on a
/// developer machine and in CI.
enum TestEnvironment {
    /// Root of this package (…/Tests/HeimdallEmbeddingTests/TestEnvironment.swift → three levels up).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtureName = "minilm-reference.jsonl"

    /// `$HEIMDALL_FIXTURES` (a directory holding minilm-reference.jsonl), else the first
    /// `shared/data` found walking up from the package root's parent (`../shared/data` for the
    /// project checkout, `../../shared/data` for a package nested one level deeper).
    static var fixtureDirectory: URL? {
        if let override = ProcessInfo.processInfo.environment["HEIMDALL_FIXTURES"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var directory = packageRoot.deletingLastPathComponent()
        while true {
            let candidate = directory.appendingPathComponent("shared/data", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(fixtureName).path) {
                return candidate
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    static var modelDirectory: URL { ModelLocation.defaultDirectory() }

    /// Whether the weights are installed. When `HEIMDALL_REQUIRE_MODEL=1` (CI), their absence
    /// fails the model tests instead of skipping them.
    static var modelInstalled: Bool {
        if ProcessInfo.processInfo.environment["HEIMDALL_REQUIRE_MODEL"] == "1" { return true }
        let fm = FileManager.default
        return fm.fileExists(atPath: modelDirectory.appendingPathComponent("model.safetensors").path)
            && fm.fileExists(atPath: modelDirectory.appendingPathComponent("vocab.txt").path)
    }

    static let modelSkipReason: Comment =
        "all-MiniLM-L6-v2 weights not installed: run scripts/install-model.sh (or set HEIMDALL_MODEL_DIR)"
}

/// One row of shared/data/minilm-reference.jsonl (sentence-transformers output).
struct ReferenceRow: Decodable, Sendable {
    let id: String
    let category: String
    let text: String
    let num_tokens: Int
    let input_ids: [Int32]
    let embedding: [Float]
}

enum ReferenceFixture {
    static let rows: [ReferenceRow] = {
        guard let directory = TestEnvironment.fixtureDirectory else { return [] }
        let url = directory.appendingPathComponent(TestEnvironment.fixtureName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { line in
            try? decoder.decode(ReferenceRow.self, from: Data(line.utf8))
        }
    }()
}

/// One shared embedder for all model tests (loading packs 42 MB of weights).
enum SharedModel {
    static let embedder: Result<LocalMiniLMEmbedder, EmbeddingError> = Result {
        () throws(EmbeddingError) in try LocalMiniLMEmbedder(modelDirectory: TestEnvironment.modelDirectory)
    }
}
