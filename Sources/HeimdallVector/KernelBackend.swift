/// Which implementation runs the similarity kernels.
public enum KernelBackend: Sendable, Hashable, CustomStringConvertible {
    /// The C kernels for one instruction set.
    case native(NativeISA)
    /// Portable Swift SIMD (``SIMDReference``): the path on non-x86 CPUs, and the tests' reference.
    case portableSIMD

    /// The fastest backend for this machine: the C kernels where cpuid found AVX2 or AVX-512,
    /// otherwise the Swift SIMD code, which the compiler vectorises for NEON on aarch64.
    public static var best: KernelBackend {
        let isa = NativeISA.selected
        #if arch(x86_64)
            return .native(isa)
        #else
            return isa == .scalar ? .portableSIMD : .native(isa)
        #endif
    }

    /// Every backend this CPU can run, for tests and benchmarks.
    public static var available: [KernelBackend] {
        NativeISA.allCases.filter(\.isSupported).map(KernelBackend.native) + [.portableSIMD]
    }

    /// Whether this CPU can run the backend.
    public var isSupported: Bool {
        switch self {
        case .native(let isa): isa.isSupported
        case .portableSIMD: true
        }
    }

    /// For logs and benchmark labels: "avx512", "avx2", "scalar" or "swift-simd".
    public var description: String {
        switch self {
        case .native(let isa): isa.rawValue
        case .portableSIMD: "swift-simd"
        }
    }
}
