import HeimdallCore

/// A stream's events as they are relayed, kept so the stream can be stored once the upstream
/// ended it normally: `data: [DONE]`, or `response.completed` for the Responses API. An error
/// event, an early end or a stream over the size limit is never stored (docs/behaviour.md §3).
struct StreamRecording {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var isComplete = false
    private(set) var failed = false
    private(set) var oversized = false
    /// The data of the last event that carried token usage.
    private(set) var usageEvent: [UInt8]?

    init(limit: Int) { self.limit = limit }

    mutating func append(_ event: ServerSentEvent) {
        guard !oversized, !isComplete else { return }
        if bytes.count + event.bytes.count > limit {
            oversized = true
            bytes = []
            return
        }
        bytes.append(contentsOf: event.bytes)
        switch event.kind {
        case .done, .completed:
            isComplete = !failed
            if event.kind == .completed { usageEvent = event.data }
        case .error, .incomplete:
            failed = true
        case .final:
            usageEvent = event.data
        case .data, .other:
            break
        }
    }

    /// The exact event sequence, once it may be stored.
    var storableBytes: [UInt8]? { isComplete && !failed && !oversized ? bytes : nil }
}
