import Logging

/// Wraps a log handler so that setting metadata is a dictionary write. Hummingbird tags every
/// request's logger with a request id; `StreamLogHandler` re-renders all its metadata on each such
/// write, which profiling showed at ~4% of a cache hit's CPU. Here metadata is rendered only
/// when a line is actually logged.
struct DeferredMetadataLogHandler: LogHandler {
    var base: any LogHandler
    var metadata: Logger.Metadata = [:]

    init(wrapping base: any LogHandler) {
        self.base = base
        self.metadata = base.metadata
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        base.log(event: event)
    }
}

extension Logger {
    /// The same logger with metadata writes made cheap (see `DeferredMetadataLogHandler`).
    func deferringMetadata() -> Logger {
        let base = handler
        return Logger(label: label) { _ in DeferredMetadataLogHandler(wrapping: base) }
    }
}
