/// Element type the similarity scan reads.
///
/// The full-precision float32 vectors are always kept for exact re-scoring; `f16` and `int8` add a
/// smaller scan copy. A scan is bound by memory bandwidth, so fewer bytes per vector means
/// proportionally more queries per second, at the price of approximate candidate scores.
public enum ScanPrecision: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 4 bytes per dimension; exact scores, no re-scoring needed.
    case f32
    /// IEEE 754 half precision, 2 bytes per dimension.
    case f16
    /// Symmetric per-vector int8 codes plus one float scale per vector, 1 byte per dimension.
    case int8

    /// Bytes one stored vector of `dimension` elements occupies in the scan copy.
    public func scanBytesPerVector(dimension: Int) -> Int {
        switch self {
        case .f32: dimension * MemoryLayout<Float>.size
        case .f16: dimension * MemoryLayout<UInt16>.size
        case .int8: dimension * MemoryLayout<Int8>.size + MemoryLayout<Float>.size
        }
    }

    public var description: String { rawValue }
}
