/// Rows of equal length stored back to back in one contiguous buffer.
///
/// One allocation for the whole matrix (no per-row objects) keeps memory at the raw element bytes
/// and lets a scan stream it sequentially at memory bandwidth.
struct RowMatrix<Element: BitwiseCopyable & Sendable>: Sendable {
    let dimension: Int
    private(set) var elements: ContiguousArray<Element> = []

    init(dimension: Int) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
    }

    var rowCount: Int { elements.count / dimension }

    /// Bytes of the stored elements.
    var bytes: Int { elements.count * MemoryLayout<Element>.stride }

    mutating func reserveCapacity(rows: Int) {
        elements.reserveCapacity(rows * dimension)
    }

    mutating func append(_ row: UnsafeBufferPointer<Element>) {
        precondition(row.count == dimension, "row length \(row.count) != dimension \(dimension)")
        elements.append(contentsOf: row)
    }

    /// Overwrites row `index` in place.
    mutating func replace(row index: Int, with row: UnsafeBufferPointer<Element>) {
        precondition(row.count == dimension, "row length \(row.count) != dimension \(dimension)")
        let start = index * dimension
        elements.withUnsafeMutableBufferPointer { all in
            _ = UnsafeMutableBufferPointer(rebasing: all[start..<start + dimension]).update(fromContentsOf: row)
        }
    }

    /// Removes row `index` by moving the last row into its place (O(d), no shifting).
    mutating func swapRemove(row index: Int) {
        let last = rowCount - 1
        precondition(index >= 0 && index <= last, "row \(index) out of range")
        if index != last {
            let from = last * dimension, to = index * dimension
            elements.withUnsafeMutableBufferPointer { all in
                let source = UnsafeBufferPointer(rebasing: all[from..<from + dimension])
                _ = UnsafeMutableBufferPointer(rebasing: all[to..<to + dimension]).update(fromContentsOf: source)
            }
        }
        elements.removeLast(dimension)
    }

    func withRows<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer(body)
    }

    func withRow<R>(_ index: Int, _ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[index * dimension..<(index + 1) * dimension]))
        }
    }
}
