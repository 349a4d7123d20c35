/// An owned, 64-byte aligned buffer of plain values (one cache line, one AVX-512 register).
///
/// Used for packed weights (f32 or f16) and scratch space; freed when the last reference goes.
final class AlignedBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    // Sendable: weight buffers are written only during init; scratch buffers are handed to one
    // call at a time by `WorkspacePool`.
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    /// `count` elements, zero-filled.
    init(count: Int) {
        self.count = count
        let byteCount = max(count, 1) * MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        pointer = raw.bindMemory(to: Element.self, capacity: max(count, 1))
    }

    /// A copy of `source`.
    convenience init(copying source: UnsafeBufferPointer<Element>) {
        self.init(count: source.count)
        if let base = source.baseAddress { pointer.update(from: base, count: source.count) }
    }

    deinit {
        pointer.deallocate()
    }
}

/// The f32 buffers of activations, biases and LayerNorm parameters.
typealias AlignedFloats = AlignedBuffer<Float>
