import CEmbeddingKernels
import Synchronization

/// Scratch activations for one forward pass of up to `rows` tokens.
final class Workspace: @unchecked Sendable {
    // Sendable: a workspace is used by one forward pass at a time; `WorkspacePool` hands it over.
    let rows: Int
    /// [rows, hidden]: the residual stream.
    let hidden: AlignedFloats
    /// [rows, 3·hidden]: query | key | value.
    let queryKeyValue: AlignedFloats
    /// [rows, hidden]: concatenated attention heads.
    let context: AlignedFloats
    /// [rows, hidden]: output of a projection before its residual LayerNorm.
    let projected: AlignedFloats
    /// [rows, intermediate]: feed-forward activations.
    let intermediate: AlignedFloats
    let attentionScratch: AlignedFloats

    init(rows: Int, configuration: MiniLMConfiguration) {
        let hidden = configuration.hiddenSize
        self.rows = rows
        self.hidden = AlignedFloats(count: rows * hidden)
        queryKeyValue = AlignedFloats(count: rows * 3 * hidden)
        context = AlignedFloats(count: rows * hidden)
        projected = AlignedFloats(count: rows * hidden)
        intermediate = AlignedFloats(count: rows * configuration.intermediateSize)
        attentionScratch = AlignedFloats(count: he_attention_scratch_count(rows, configuration.headDimension))
    }
}

/// Reuses workspaces across calls: a forward pass of 256 tokens needs ~4 MB of activations, and
/// allocating (and page-faulting) that per call would cost more than a short text's whole
/// forward pass. Concurrent calls each take their own workspace.
final class WorkspacePool: Sendable {
    private let free = Mutex<[Workspace]>([])
    private let configuration: MiniLMConfiguration
    /// Rows every pooled workspace holds (the tokenizer's maximum).
    private let standardRows: Int
    /// Idle workspaces kept beyond this are released.
    private let maxIdle: Int

    init(configuration: MiniLMConfiguration, standardRows: Int, maxIdle: Int = 8) {
        self.configuration = configuration
        self.standardRows = standardRows
        self.maxIdle = maxIdle
    }

    func withWorkspace<Result>(rows: Int, _ body: (Workspace) throws -> Result) rethrows -> Result {
        // Longer inputs than the standard size (callers passing ids directly) get a one-off workspace.
        guard rows <= standardRows else {
            return try body(Workspace(rows: rows, configuration: configuration))
        }
        let workspace =
            free.withLock { $0.popLast() } ?? Workspace(rows: standardRows, configuration: configuration)
        defer {
            free.withLock { idle in
                if idle.count < maxIdle { idle.append(workspace) }
            }
        }
        return try body(workspace)
    }
}
