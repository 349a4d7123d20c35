import ArgumentParser
import Foundation
import HeimdallCore
import HeimdallEmbedding

/// `--embedder`, `--model-dir` and `--embedding-precision`, shared by the commands that embed text offline.
struct EmbedderOptions: ParsableArguments {
    @Option(help: "local (all-MiniLM-L6-v2) or hashed.")
    var embedder = "local"

    @Option(
        name: .customLong("model-dir"),
        help: "Directory of the local model (default $HEIMDALL_MODEL_DIR or ~/.cache/heimdall/models/all-MiniLM-L6-v2).")
    var modelDir: String?

    @Option(
        name: .customLong("embedding-precision"),
        help: "Weights of the local model: f32 or f16 (the default follows the embedding_precision setting).")
    var embeddingPrecision = HeimdallConfiguration().embeddingPrecision.rawValue

    /// The chosen embedder, or a usage error naming the fix.
    func make() throws -> any Embedder {
        switch embedder {
        case "hashed": return HashedEmbedder()
        case "local":
            guard let precision = EmbeddingPrecision(rawValue: embeddingPrecision) else {
                throw ValidationError("--embedding-precision must be f32 or f16")
            }
            do {
                return try LocalMiniLMEmbedder(
                    modelDirectory: modelDir.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultDirectory(),
                    precision: precision)
            } catch {
                throw ValidationError("\(error)")
            }
        default: throw ValidationError("--embedder must be local or hashed")
        }
    }
}
