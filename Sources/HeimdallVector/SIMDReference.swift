/// Portable Swift SIMD kernels: the scan path on CPUs without the C kernels' ISAs (aarch64), and
/// the independent reference the tests compare the C kernels against.
///
/// Written as `acc += a * b` on `SIMD16<Float>` with four accumulators: on baseline x86-64,
/// `.addingProduct`/`fma` would become a per-lane `fmaf` call, while a separate multiply and add
/// vectorises everywhere. Lane conversions are explicit `@inline(__always)` helpers because the
/// standard library's SIMD conversion initialisers are not inlined.
public enum SIMDReference {
    /// float32 dot product over `count` elements.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let stride = MemoryLayout<SIMD16<Float>>.stride
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
        var j = 0
        while j + 64 <= count {
            let offset = j * MemoryLayout<Float>.stride
            acc0 +=
                ra.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            acc1 +=
                ra.loadUnaligned(fromByteOffset: offset + stride, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset + stride, as: SIMD16<Float>.self)
            acc2 +=
                ra.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD16<Float>.self)
            acc3 +=
                ra.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD16<Float>.self)
            j += 64
        }
        while j + 16 <= count {
            let offset = j * MemoryLayout<Float>.stride
            acc0 +=
                ra.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            j += 16
        }
        var sum = ((acc0 + acc1) + (acc2 + acc3)).sum()
        while j < count {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }

    /// Dot product of a float32 query with a half-precision row given as binary16 bit patterns.
    @inlinable
    public static func dot(_ query: UnsafePointer<Float>, halfBits row: UnsafePointer<UInt16>, count: Int) -> Float {
        let rq = UnsafeRawPointer(query)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var j = 0
        while j + 32 <= count {
            acc0 += rq.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self) * widen16(row + j)
            acc1 += rq.loadUnaligned(fromByteOffset: (j + 16) * 4, as: SIMD16<Float>.self) * widen16(row + j + 16)
            j += 32
        }
        while j + 16 <= count {
            acc0 += rq.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self) * widen16(row + j)
            j += 16
        }
        var sum = (acc0 + acc1).sum()
        while j < count {
            sum += query[j] * float(fromHalfBits: row[j])
            j += 1
        }
        return sum
    }

    /// Exact integer dot product of two int8 code vectors. A plain widening loop: integer addition
    /// is associative, so the optimiser vectorises it without help.
    @inlinable
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        var sum: Int32 = 0
        for j in 0..<count {
            sum &+= Int32(a[j]) &* Int32(b[j])
        }
        return sum
    }

    /// Sixteen half-precision lanes widened to float32, one lane at a time (see type comment).
    @inlinable @inline(__always)
    static func widen16(_ bits: UnsafePointer<UInt16>) -> SIMD16<Float> {
        var v = SIMD16<Float>()
        for lane in 0..<16 { v[lane] = float(fromHalfBits: bits[lane]) }
        return v
    }

    /// Exact binary16 → binary32 conversion.
    @inlinable @inline(__always)
    public static func float(fromHalfBits bits: UInt16) -> Float {
        #if arch(arm64)
            return Float(Float16(bitPattern: bits))  // a single fcvt on aarch64
        #else
            // Bit manipulation rather than Float16: on baseline x86-64 that is a libcall per lane.
            let sign = UInt32(bits & 0x8000) << 16
            let exponent = UInt32(bits >> 10) & 0x1f
            let mantissa = UInt32(bits & 0x3ff)
            if exponent == 0 {  // zero or subnormal: mantissa · 2^-24, exact in float32
                return Float(bitPattern: (Float(mantissa) * 0x1p-24).bitPattern | sign)
            }
            if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        #endif
    }
}
