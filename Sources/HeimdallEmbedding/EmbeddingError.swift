/// Why an embedder could not be created or could not embed a text.
///
/// A struct wrapping a code (rather than a public enum) so new cases are not breaking changes;
/// `message` says what to do about it.
public struct EmbeddingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Broad kinds of failure, for callers that branch on them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A model file is absent.
        public static let modelFileMissing = Code("modelFileMissing")
        /// A model file exists but is not the expected one (size, hash or content).
        public static let modelFileMismatch = Code("modelFileMismatch")
        /// A model file could not be read or parsed.
        public static let modelFileUnreadable = Code("modelFileUnreadable")
        /// The input cannot be embedded (e.g. more tokens than the model has positions).
        public static let invalidInput = Code("invalidInput")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
