/// Decides, while a stream is relayed live, which event carries `cache_debug`: the last
/// data chunk before `data: [DONE]`, or the Responses API's `response.completed` (docs/behaviour.md §4).
///
/// Only events that can be last (a finish reason, usage, `response.completed`) are held back,
/// and only until the next event shows whether they were: content deltas go out at once.
public struct StreamDebugPlacement: Sendable {
    /// What goes on the last chunk; the relay drops `cacheID` when the entry could not be stored.
    public var debug: CacheDebug
    private var held: ServerSentEvent?

    public init(debug: CacheDebug) { self.debug = debug }

    /// The bytes to send now for `event`, in order.
    public mutating func accept(_ event: ServerSentEvent) -> [[UInt8]] {
        switch event.kind {
        case .final, .completed:
            let out = held.map { [$0.bytes] } ?? []
            held = event
            return out
        case .done:
            defer { held = nil }
            guard let held else { return [event.bytes] }
            return [held.splicing(debug) ?? held.bytes, event.bytes]
        case .other:
            return [event.bytes]  // comments and keep-alives do not decide which chunk is last
        case .data, .error, .incomplete:
            defer { held = nil }
            return (held.map { [$0.bytes] } ?? []) + [event.bytes]
        }
    }

    /// The bytes still held when the stream ends (a Responses stream ends at `response.completed`).
    public mutating func finish() -> [[UInt8]] {
        defer { held = nil }
        guard let held else { return [] }
        return [held.splicing(debug) ?? held.bytes]
    }

    /// A whole recorded stream as its events, with `cache_debug` on the last JSON data event
    /// before `[DONE]` (or on `response.completed`), every other event byte for byte.
    public static func replay(_ events: [ServerSentEvent], debug: CacheDebug) -> [[UInt8]] {
        // Only the events at the end are classified (each is a JSON parse): the target is the last
        // data-carrying event before `[DONE]`.
        let end = events.firstIndex(where: \.isDone) ?? events.count
        var target: Int?
        for i in events[..<end].indices.reversed() {
            let kind = events[i].kind
            if kind == .completed || kind == .final || kind == .data {
                target = i
                break
            }
        }
        return events.indices.map { i in
            i == target ? (events[i].splicing(debug) ?? events[i].bytes) : events[i].bytes
        }
    }
}
