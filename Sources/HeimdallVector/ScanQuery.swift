/// A query prepared once for scanning several matrices (the lists an inverted file probes): the
/// unit float32 vector plus, for an int8 scan, its codes, so they are not recomputed per list.
struct ScanQuery: Sendable {
    let vector: [Float]
    let codes: Int8Vector?

    init(_ vector: [Float], precision: ScanPrecision) {
        self.vector = vector
        codes = precision == .int8 ? Quantization.int8(vector) : nil
    }
}
