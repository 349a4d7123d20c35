import CVectorKernels

/// Conversions from float32 to the compact scan types.
///
/// They run in C (F16C / AVX-512 where present) because Swift on baseline x86-64 turns each
/// `Float16` conversion into a library call; the portable C path gives identical results.
public enum Quantization {
    /// float32 → IEEE binary16 bit patterns, round to nearest even (values beyond ±65504 become ±∞).
    public static func halfBits(
        _ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<UInt16>,
        isa: NativeISA = .selected
    ) {
        precondition(source.count == destination.count, "half conversion needs equal lengths")
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        hv_f32_to_f16(isa.cValue, src, dst, source.count)
    }

    /// float32 → IEEE binary16 bit patterns.
    public static func halfBits(_ vector: [Float], isa: NativeISA = .selected) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: vector.count) { buffer, initialized in
            vector.withUnsafeBufferPointer { halfBits($0, into: buffer, isa: isa) }
            initialized = vector.count
        }
    }

    /// IEEE binary16 bit patterns → float32 (exact).
    public static func floats(fromHalfBits bits: [UInt16], isa: NativeISA = .selected) -> [Float] {
        [Float](unsafeUninitializedCapacity: bits.count) { buffer, initialized in
            bits.withUnsafeBufferPointer { source in
                if let src = source.baseAddress, let dst = buffer.baseAddress {
                    hv_f16_to_f32(isa.cValue, src, dst, bits.count)
                }
            }
            initialized = bits.count
        }
    }

    /// Symmetric per-vector int8 quantisation: `scale = max|x| / 127`,
    /// `codes[j] = round_to_even(x[j] · 127 / max|x|)`. Returns the scale (0 for an all-zero vector).
    ///
    /// -128 is never produced; the AVX2 int8 kernel depends on that.
    @discardableResult
    public static func int8(
        _ source: UnsafeBufferPointer<Float>, into codes: UnsafeMutableBufferPointer<Int8>,
        isa: NativeISA = .selected
    ) -> Float {
        precondition(source.count == codes.count, "int8 quantisation needs equal lengths")
        guard let src = source.baseAddress, let dst = codes.baseAddress else { return 0 }
        return hv_quantize_i8(isa.cValue, src, dst, source.count)
    }

    /// Symmetric per-vector int8 quantisation of a whole vector.
    public static func int8(_ vector: [Float], isa: NativeISA = .selected) -> Int8Vector {
        var scale: Float = 0
        let codes = [Int8](unsafeUninitializedCapacity: vector.count) { buffer, initialized in
            scale = vector.withUnsafeBufferPointer { int8($0, into: buffer, isa: isa) }
            initialized = vector.count
        }
        return Int8Vector(codes: codes, scale: scale)
    }
}
