/// A vector quantised to symmetric int8: `value[j] ≈ scale * codes[j]`, codes in [-127, 127].
public struct Int8Vector: Sendable, Hashable {
    public var codes: [Int8]
    public var scale: Float

    public init(codes: [Int8], scale: Float) {
        self.codes = codes
        self.scale = scale
    }
}
