import CVectorKernels
import HeimdallVector
import Testing

/// Each kernel, on every backend this CPU runs, against scalar references, for odd and even d and n.
@Suite("Kernel scores")
struct KernelScoreTests {
    static var backends: [String] { ScanKernels.available.map(\.description) }

    static func kernels(_ name: String) -> ScanKernels {
        ScanKernels.available.first { $0.description == name }!
    }

    @Test("every ISA path this CPU supports is offered, the selected one included")
    func availableBackends() {
        let names = Self.backends
        #expect(names.contains(NativeISA.selected.rawValue))
        #expect(names.contains("scalar"))
        #expect(names.contains("swift-simd"))
        #expect(NativeISA.selected.isSupported)
        #if arch(x86_64)
            #expect(KernelBackend.best == .native(NativeISA.selected))
        #endif
        for isa in NativeISA.allCases where !isa.isSupported {
            #expect(ScanKernels(backend: .native(isa)) == nil)
        }
    }

    @Test("f32 scores match a double-precision reference", arguments: backends)
    func f32(backend: String) {
        let kernels = Self.kernels(backend)
        for f in KernelFixture.all {
            var scores = [Float](repeating: .nan, count: f.n)
            f.query.withUnsafeBufferPointer { q in
                f.rows.withUnsafeBufferPointer { r in
                    scores.withUnsafeMutableBufferPointer { kernels.scores(query: q, rows: r, into: $0) }
                }
            }
            #expect(KernelFixture.maxError(scores, f.expectedF32) <= f.tolerance, "n=\(f.n) d=\(f.d)")
            #expect(!scores.contains { $0.isNaN }, "every score written, n=\(f.n) d=\(f.d)")
            // The single-row dot must reproduce the scan's value exactly: re-scoring relies on it.
            let dots = (0..<f.n).map { i in
                f.query.withUnsafeBufferPointer { q in
                    f.rows.withUnsafeBufferPointer { kernels.dot(q, UnsafeBufferPointer(rebasing: $0[i * f.d..<(i + 1) * f.d])) }
                }
            }
            #expect(dots == scores, "dot == scan score, n=\(f.n) d=\(f.d)")
        }
    }

    @Test("f16 scores match a double-precision reference over the widened halves", arguments: backends)
    func f16(backend: String) {
        let kernels = Self.kernels(backend)
        for f in KernelFixture.all {
            var scores = [Float](repeating: .nan, count: f.n)
            f.query.withUnsafeBufferPointer { q in
                f.halfRows.withUnsafeBufferPointer { r in
                    scores.withUnsafeMutableBufferPointer { kernels.scores(query: q, halfRows: r, into: $0) }
                }
            }
            #expect(KernelFixture.maxError(scores, f.expectedF16) <= f.tolerance, "n=\(f.n) d=\(f.d)")
            #expect(!scores.contains { $0.isNaN }, "every score written, n=\(f.n) d=\(f.d)")
        }
    }

    @Test("int8 scores equal the exact integer dot product times both scales", arguments: backends)
    func int8(backend: String) {
        let kernels = Self.kernels(backend)
        for f in KernelFixture.all {
            var scores = [Float](repeating: .nan, count: f.n)
            f.queryCodes.codes.withUnsafeBufferPointer { q in
                f.rowCodes.withUnsafeBufferPointer { r in
                    f.rowScales.withUnsafeBufferPointer { s in
                        scores.withUnsafeMutableBufferPointer {
                            kernels.scores(queryCodes: q, queryScale: f.queryCodes.scale, codeRows: r, rowScales: s, into: $0)
                        }
                    }
                }
            }
            // Every path uses the same operation order, so the result is bit-identical.
            #expect(scores == f.expectedInt8, "n=\(f.n) d=\(f.d)")
        }
    }

    @Test("extreme int8 codes (±127 everywhere) do not saturate or overflow", arguments: backends)
    func int8Extremes(backend: String) {
        let kernels = Self.kernels(backend)
        let d = 1536
        let query = [Int8](repeating: -127, count: d)
        let rows = [Int8](repeating: -127, count: d) + [Int8](repeating: 127, count: d)
        let scales: [Float] = [1, 1]
        var scores = [Float](repeating: 0, count: 2)
        query.withUnsafeBufferPointer { q in
            rows.withUnsafeBufferPointer { r in
                scales.withUnsafeBufferPointer { s in
                    scores.withUnsafeMutableBufferPointer {
                        kernels.scores(queryCodes: q, queryScale: 1, codeRows: r, rowScales: s, into: $0)
                    }
                }
            }
        }
        #expect(scores == [Float(127 * 127 * d), -Float(127 * 127 * d)])
    }
}
