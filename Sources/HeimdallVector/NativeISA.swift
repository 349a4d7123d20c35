import CVectorKernels

/// Instruction-set path of the C kernels (`CVectorKernels`).
public enum NativeISA: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Portable C, any CPU.
    case scalar
    /// x86-64 AVX2 + FMA + F16C.
    case avx2
    /// x86-64 AVX-512 F/BW/VL + VNNI + F16C.
    case avx512

    /// The path chosen once at start-up from cpuid (or lowered by `HEIMDALL_VECTOR_ISA`).
    public static var selected: NativeISA { NativeISA(hv_selected_isa()) }

    /// Whether this CPU can run the path.
    public var isSupported: Bool { hv_isa_supported(cValue) }

    public var description: String { rawValue }

    var cValue: hv_isa {
        switch self {
        case .scalar: HV_ISA_SCALAR
        case .avx2: HV_ISA_AVX2
        case .avx512: HV_ISA_AVX512
        }
    }

    init(_ value: hv_isa) {
        switch value {
        case HV_ISA_AVX512: self = .avx512
        case HV_ISA_AVX2: self = .avx2
        default: self = .scalar
        }
    }
}
