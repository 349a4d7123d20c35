import CEmbeddingKernels

/// Which instruction-set variant of the C kernels runs (see CEmbeddingKernels.h).
public enum KernelVariant: Sendable, CaseIterable, CustomStringConvertible {
    case generic, avx2, avx512

    /// The fastest variant this CPU supports, from cpuid.
    public static var best: KernelVariant { KernelVariant(he_best_isa()) }

    /// Variants this CPU can run.
    public static var supported: [KernelVariant] { allCases.filter(\.isSupported) }

    public var isSupported: Bool { he_isa_supported(isa) != 0 }

    public var description: String { String(cString: he_isa_name(isa)) }

    var isa: he_isa {
        switch self {
        case .generic: HE_ISA_GENERIC
        case .avx2: HE_ISA_AVX2
        case .avx512: HE_ISA_AVX512
        }
    }

    init(_ isa: he_isa) {
        switch isa {
        case HE_ISA_AVX512: self = .avx512
        case HE_ISA_AVX2: self = .avx2
        default: self = .generic
        }
    }
}
