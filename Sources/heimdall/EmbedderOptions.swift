import ArgumentParser
import Foundation
import HeimdallEmbedding

/// `--embedder` and `--model-dir`, shared by the commands that embed text offline.
struct EmbedderOptions: ParsableArguments {
    @Option(help: "local (all-MiniLM-L6-v2) or hashed.")
    var embedder = "local"

    @Option(
        name: .customLong("model-dir"),
        help: "Directory of the local model (default $HEIMDALL_MODEL_DIR or ~/.cache/heimdall/models/all-MiniLM-L6-v2).")
    var modelDir: String?

    /// The chosen embedder, or a usage error naming the fix.
    func make() throws -> any Embedder {
        switch embedder {
        case "hashed": return HashedEmbedder()
        case "local":
            do {
                return try LocalMiniLMEmbedder(
                    modelDirectory: modelDir.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultDirectory())
            } catch {
                throw ValidationError("\(error)")
            }
        default: throw ValidationError("--embedder must be local or hashed")
        }
    }
}
