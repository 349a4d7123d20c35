/// An owned, 64-byte aligned float buffer (one cache line, one AVX-512 register).
///
/// Used for packed weights and scratch space; freed when the last reference goes.
final class AlignedFloats: @unchecked Sendable {
    // Sendable: weight buffers are written only during init; scratch buffers are handed to one
    // call at a time by `WorkspacePool`.
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// A copy of `source`.
    convenience init(copying source: UnsafeBufferPointer<Float>) {
        self.init(count: source.count)
        if let base = source.baseAddress { pointer.update(from: base, count: source.count) }
    }

    deinit {
        pointer.deallocate()
    }
}
