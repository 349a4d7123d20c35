import Foundation
import HeimdallEmbedding
import Testing

/// Where the model tests find the installed weights and the parity fixture (a resource of this
/// test target, so a clone carries it).
enum TestEnvironment {
    static let fixtureName = "minilm-reference.jsonl"

    static var modelDirectory: URL { ModelLocation.defaultDirectory() }
}

/// A test resource that is missing or not what the tests expect: the message names the file and
/// how to get it back, and each test that needs it fails with it (no crash takes the suite down).
struct MissingFixture: Error, CustomStringConvertible {
    let description: String
}

/// One row of minilm-reference.jsonl (sentence-transformers output; how it was made:
/// docs/minilm-recipe.md, "Parity").
struct ReferenceRow: Decodable, Sendable {
    let id: String
    let category: String
    let text: String
    let num_tokens: Int
    let input_ids: [Int32]
    let embedding: [Float]
}

enum ReferenceFixture {
    static let expectedRows = 40

    /// The fixture's rows, or an error naming what is missing.
    static func rows() throws -> [ReferenceRow] { try loaded.get() }

    private static let loaded: Result<[ReferenceRow], MissingFixture> = Result {
        () throws(MissingFixture) in
        try readJSONLines(TestEnvironment.fixtureName, as: ReferenceRow.self, expecting: expectedRows)
    }
}

/// Reads a JSON-lines resource of this test target: every line must decode and the count must be
/// `expecting`, else a `MissingFixture` saying which file and which line.
func readJSONLines<Row: Decodable>(_ name: String, as: Row.Type, expecting count: Int) throws(MissingFixture) -> [Row] {
    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
    guard
        let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil, subdirectory: "Resources")
    else {
        throw MissingFixture(
            description: "test resource \(name) is missing from Tests/HeimdallEmbeddingTests/Resources (restore it from git)")
    }
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        throw MissingFixture(description: "cannot read \(url.path)")
    }
    let decoder = JSONDecoder()
    var rows: [Row] = []
    for (index, line) in text.split(separator: "\n").enumerated() {
        do {
            rows.append(try decoder.decode(Row.self, from: Data(line.utf8)))
        } catch {
            throw MissingFixture(description: "\(url.path) line \(index + 1) does not decode: \(error)")
        }
    }
    guard rows.count == count else {
        throw MissingFixture(description: "\(url.path) has \(rows.count) rows, expected \(count)")
    }
    return rows
}

/// One shared embedder for all model tests (loading packs 42 MB of weights). Without installed
/// weights, `get()` throws the loader's error, which names `scripts/install-model.sh`.
enum SharedModel {
    static let embedder: Result<LocalMiniLMEmbedder, EmbeddingError> = Result {
        () throws(EmbeddingError) in try LocalMiniLMEmbedder(modelDirectory: TestEnvironment.modelDirectory)
    }
}
