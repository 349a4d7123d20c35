import CZlib

/// zlib compression with the stream state kept between calls: `deflateReset` costs
/// a fraction of `deflateInit` (measured ~20 µs vs ~70 µs per 4 KB body, design/simd.md).
/// Not thread-safe; `CacheStore` owns one per connection.
final class ZlibCodec {
    private var deflater = z_stream()
    private var inflater = z_stream()

    init(level: Int) throws(StoreError) {
        guard deflateInit_(&deflater, Int32(level), ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK,
            inflateInit_(&inflater, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw StoreError("zlib initialisation failed") }
    }

    deinit {
        deflateEnd(&deflater)
        inflateEnd(&inflater)
    }

    func compress(_ input: [UInt8]) throws(StoreError) -> [UInt8] {
        deflateReset(&deflater)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&deflater, UInt(input.count))))
        let produced: Int? = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { dest in
                deflater.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                deflater.avail_in = UInt32(source.count)
                deflater.next_out = dest.baseAddress
                deflater.avail_out = UInt32(dest.count)
                let rc = deflate(&deflater, Z_FINISH)
                return rc == Z_STREAM_END ? dest.count - Int(deflater.avail_out) : nil
            }
        }
        guard let produced else { throw StoreError("zlib deflate failed") }
        output.removeSubrange(produced...)
        return output
    }

    /// Inflates to exactly `expectedSize` bytes; anything else means a damaged entry.
    func decompress(_ input: [UInt8], expectedSize: Int) throws(StoreError) -> [UInt8] {
        inflateReset(&inflater)
        var output = [UInt8](repeating: 0, count: expectedSize)
        let ok: Bool = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { dest in
                inflater.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                inflater.avail_in = UInt32(source.count)
                inflater.next_out = dest.baseAddress
                inflater.avail_out = UInt32(dest.count)
                let rc = inflate(&inflater, Z_FINISH)
                return rc == Z_STREAM_END && inflater.avail_out == 0 && inflater.avail_in == 0
            }
        }
        guard ok else { throw StoreError("stored body is damaged (zlib inflate failed)") }
        return output
    }
}
