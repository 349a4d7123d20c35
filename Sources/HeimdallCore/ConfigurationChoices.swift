/// The settings that take one of a few words. Each case's raw value is what a config file,
/// `HEIMDALL_*` variable or flag spells (config/README.md).

/// Where prompt embeddings come from.
public enum EmbedderKind: String, Sendable, CaseIterable {
    /// The in-process all-MiniLM-L6-v2.
    case local
    /// `POST {upstream}/v1/embeddings`, with the caller's credentials.
    case upstream
    /// Cheap character n-gram hashing (tests, and a no-model option; poor quality).
    case hashed
    /// No semantic lookup: direct hits only.
    case none
}

/// What `heimdall serve` does when the embedder cannot start.
public enum EmbedderFallback: String, Sendable, CaseIterable {
    /// A start-up error.
    case fail
    /// Start anyway, serving direct hits only.
    case directOnly = "direct-only"
}

/// Element type of the local embedding model's linear weights (arithmetic is f32 either way).
public enum WeightPrecision: String, Sendable, CaseIterable {
    case f32, f16
}

/// Element type of the vector index's scan copy (the best candidates are re-scored in f32).
public enum VectorPrecision: String, Sendable, CaseIterable {
    case f32, f16, int8
}

/// How partitions of 20,000 entries or more are searched.
public enum VectorIndexKind: String, Sendable, CaseIterable {
    /// Scan every vector.
    case flat
    /// k-means lists, the nearest `ivf_nprobe` scanned.
    case ivf
}

/// Which SIMD path the vector kernels take; `auto` is the best the CPU has (cpuid), the others
/// force a lower one (for comparisons; a path the CPU lacks falls back to the best it has).
public enum VectorISA: String, Sendable, CaseIterable {
    case auto, avx512, avx2, scalar
}

/// swift-log's levels, by name.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
