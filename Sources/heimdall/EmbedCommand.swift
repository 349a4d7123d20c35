import ArgumentParser
import Foundation
import HeimdallEmbedding

struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with a local embedder and print token counts, norms and pairwise cosines.",
        discussion: """
            A debugging aid for thresholds: `heimdall embed "What is the capital of France?" \\
            "Which city is France's capital?"` shows how similar the local model finds two prompts.
            Semantic lookup embeds chat requests as "role: content" lines, e.g. "user: …".
            """)

    @Argument(help: "Texts to embed.")
    var texts: [String]

    @OptionGroup var embedderOptions: EmbedderOptions

    @Flag(help: "Print the vectors too.")
    var vectors = false

    func run() async throws {
        let model = try embedderOptions.make()
        var embeddings: [Embedding] = []
        for (i, text) in texts.enumerated() {
            let started = ContinuousClock.now
            let e = try await model.embed(text)
            let elapsed = ContinuousClock.now - started
            embeddings.append(e)
            let norm = e.vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            print(String(format: "[%d] tokens %3d  norm %.6f  %@  %@", i, e.inputTokens, norm, "\(elapsed)", text.debugDescription))
            if vectors { print("    " + e.vector.map { String(format: "%.6f", $0) }.joined(separator: " ")) }
        }
        guard embeddings.count > 1 else { return }
        print("cosine (\(model.provider)/\(model.model)):")
        for i in embeddings.indices {
            for j in embeddings.indices where j > i {
                print(String(format: "  [%d]·[%d] = %.4f", i, j, embeddings[i].cosine(embeddings[j])))
            }
        }
    }
}
