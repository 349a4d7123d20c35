import Foundation
import HeimdallCore

/// `vector_isa`: the C kernels read their override from `HEIMDALL_VECTOR_ISA` when first used, so
/// a value from the config file or a flag is handed to them through that variable, before any
/// vector is scanned.
enum VectorISASetting {
    static func apply(_ isa: VectorISA) {
        guard isa != .auto else { return }
        setenv("HEIMDALL_VECTOR_ISA", isa.rawValue, 1)
    }
}
