import Foundation

/// all-MiniLM-L6-v2 (sentence-transformers) running in-process: WordPiece tokenizer, 6-layer
/// BERT encoder, mean pooling, L2 normalisation; 384-dimensional unit vectors matching
/// `SentenceTransformer.encode` to ~1e-6 per component with f32 weights (see `EmbeddingPrecision`
/// for f16). Both precisions share `model`: their vectors are close enough to compare.
///
/// Thread-safe: the weights are immutable and each call borrows its own scratch space, so one
/// instance serves concurrent requests. A call computes on the calling thread (≈2–3 ms for a
/// short prompt, ≈25 ms for 128 tokens, one core).
public final class LocalMiniLMEmbedder: Embedder {
    public let provider = "local"
    public let model = "all-MiniLM-L6-v2"
    public var dimensions: Int { network.configuration.hiddenSize }
    /// Directory the files were loaded from.
    public let modelDirectory: URL
    /// The instruction-set variant of the kernels in use.
    public var kernelVariant: KernelVariant { network.variant }
    /// Element type of the linear layers' weights.
    public var precision: EmbeddingPrecision { network.weights.precision }

    let tokenizer: WordPieceTokenizer
    let network: MiniLMModel

    /// Loads and verifies `model.safetensors` and `vocab.txt` from `modelDirectory`.
    ///
    /// - Parameters:
    ///   - verification: `.sha256` hashes both files (≈50–100 ms for the 90 MB weights with
    ///     SHA-NI); `.sizeAndStructure` skips the hash.
    ///   - kernelVariant: for tests and comparisons; defaults to the fastest this CPU supports.
    ///   - threads: 2 computes each linear layer's output panels on the calling thread and one
    ///     helper thread (bit-identical results; an embedding that finds the helper busy uses one);
    ///     1 keeps every call on the calling thread. Defaults to 2 on machines with 2+ cores.
    ///   - precision: element type of the packed linear weights (`f16` halves the bytes each call
    ///     streams; see `EmbeddingPrecision`). The library defaults to the exact f32; the server's
    ///     `embedding_precision` setting defaults to f16.
    /// - Throws: `EmbeddingError` naming the missing or mismatching file and the install command.
    public init(
        modelDirectory: URL = ModelLocation.defaultDirectory(), verification: ModelVerification = .sha256,
        kernelVariant: KernelVariant = .best, precision: EmbeddingPrecision = .f32,
        threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)
    ) throws(EmbeddingError) {
        self.modelDirectory = modelDirectory
        let advice = MiniLMModelFiles.installAdvice(directory: modelDirectory)
        let hashing = verification == .sha256

        let vocabularyURL = modelDirectory.appendingPathComponent(MiniLMModelFiles.vocabulary.name)
        guard FileManager.default.fileExists(atPath: vocabularyURL.path) else {
            throw EmbeddingError(.modelFileMissing, "\(vocabularyURL.path) does not exist. \(advice)")
        }
        let vocabularyData: Data
        do {
            vocabularyData = try Data(contentsOf: vocabularyURL)
        } catch {
            throw EmbeddingError(.modelFileUnreadable, "cannot read \(vocabularyURL.path): \(error.localizedDescription)")
        }
        try MiniLMModelFiles.verify(
            MiniLMModelFiles.vocabulary, bytes: vocabularyData, hashing: hashing, directory: modelDirectory)
        tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(vocabTxt: vocabularyData, source: vocabularyURL.path))

        let weightsPath = modelDirectory.appendingPathComponent(MiniLMModelFiles.weights.name).path
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(path: weightsPath)
        } catch {
            let code: EmbeddingError.Code = error.code == .fileMissing ? .modelFileMissing : .modelFileUnreadable
            throw EmbeddingError(code, "\(error.message). \(advice)")
        }
        try MiniLMModelFiles.verify(MiniLMModelFiles.weights, bytes: file.fileBytes, hashing: hashing, directory: modelDirectory)
        let weights: MiniLMWeights
        do {
            weights = try MiniLMWeights(file: file, precision: precision)
        } catch {
            throw EmbeddingError(.modelFileMismatch, "\(error.message). \(advice)")
        }
        guard tokenizer.vocabulary.count == weights.configuration.vocabularySize else {
            throw EmbeddingError(
                .modelFileMismatch,
                "\(vocabularyURL.path) has \(tokenizer.vocabulary.count) tokens, the model \(weights.configuration.vocabularySize). \(advice)"
            )
        }
        network = MiniLMModel(weights: weights, variant: kernelVariant, threads: threads)
    }

    public func embed(_ text: String) async throws -> Embedding {
        try embedSynchronously(text)
    }

    /// `embed` without the async hop, for callers already on a worker thread.
    public func embedSynchronously(_ text: String) throws(EmbeddingError) -> Embedding {
        let ids = tokenizer.encode(text)
        return Embedding(vector: try network.embed(ids: ids), inputTokens: ids.count)
    }

    /// The token ids the model sees for `text` ([CLS] … [SEP], at most 256).
    public func tokenIDs(_ text: String) -> [Int32] {
        tokenizer.encode(text)
    }
}
