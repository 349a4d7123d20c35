import CoreMetrics
import Prometheus
import Synchronization

/// The `/metrics` exposition: swift-metrics instruments backed by this server's own Prometheus
/// registry (not the process-wide bootstrap, so several servers in one process stay apart).
/// Request counters and latency histograms are updated per request; store figures are read at scrape time.
final class HeimdallMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let requests: [RequestOutcome: CoreMetrics.Counter]
    private let durations: [RequestOutcome: CoreMetrics.Timer]
    private let upstreamDuration: CoreMetrics.Timer
    private let embeddingDuration: CoreMetrics.Timer
    private let similarity: Recorder
    private let promptTokensSaved: CoreMetrics.Counter
    private let completionTokensSaved: CoreMetrics.Counter
    private let bytesSaved: CoreMetrics.Counter
    private let upstreamBytes: CoreMetrics.Counter
    /// Store removals already added to the Prometheus counters (the store counts them itself).
    private let mirrored = Mutex((expirations: 0, evictions: 0))
    /// Store failures already added to their counters (the counts live in `StoreHealth`).
    private let mirroredFailures = Mutex((reads: 0, writes: 0))

    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        factory.valueHistogramBuckets["heimdall_semantic_similarity"] = SimilarityHistogram.bounds
        self.factory = factory
        var requests: [RequestOutcome: CoreMetrics.Counter] = [:]
        var durations: [RequestOutcome: CoreMetrics.Timer] = [:]
        // Every outcome from the start, so a scrape shows zeros rather than missing series.
        for outcome in RequestOutcome.allCases {
            let labels = [("outcome", outcome.rawValue)]
            requests[outcome] = CoreMetrics.Counter(label: "heimdall_requests_total", dimensions: labels, factory: factory)
            durations[outcome] = CoreMetrics.Timer(label: "heimdall_request_duration_seconds", dimensions: labels, factory: factory)
        }
        self.requests = requests
        self.durations = durations
        upstreamDuration = CoreMetrics.Timer(label: "heimdall_upstream_duration_seconds", factory: factory)
        embeddingDuration = CoreMetrics.Timer(label: "heimdall_embedding_duration_seconds", factory: factory)
        similarity = Recorder(label: "heimdall_semantic_similarity", aggregate: true, factory: factory)
        promptTokensSaved = CoreMetrics.Counter(
            label: "heimdall_tokens_saved_total", dimensions: [("kind", "prompt")], factory: factory)
        completionTokensSaved = CoreMetrics.Counter(
            label: "heimdall_tokens_saved_total", dimensions: [("kind", "completion")], factory: factory)
        bytesSaved = CoreMetrics.Counter(label: "heimdall_upstream_bytes_saved_total", factory: factory)
        upstreamBytes = CoreMetrics.Counter(label: "heimdall_upstream_bytes_total", factory: factory)
    }

    /// `cacheKey` and `model` are the bounded names the stats counted the request under.
    func record(outcome: RequestOutcome, latency: Duration, fields: RequestRecord.Fields, cacheKey: String?, model: String?) {
        requests[outcome]?.increment()
        durations[outcome]?.recordNanoseconds(Self.nanoseconds(latency))
        if let upstream = fields.upstream {
            upstreamDuration.recordNanoseconds(Self.nanoseconds(upstream))
            upstreamBytes.increment(by: fields.upstreamBytes)
        }
        if let embedding = fields.embedding { embeddingDuration.recordNanoseconds(Self.nanoseconds(embedding)) }
        if outcome == .hitSemantic, let value = fields.similarity { similarity.record(value) }
        if outcome.isHit {
            promptTokensSaved.increment(by: fields.promptTokensSaved)
            completionTokensSaved.increment(by: fields.completionTokensSaved)
            bytesSaved.increment(by: fields.bytesSaved)
        }
        if let key = cacheKey { labelledCounter(.cacheKey, key, outcome).increment() }
        if let model { labelledCounter(.model, model, outcome).increment() }
    }

    private enum Breakdown: Hashable { case cacheKey, model }

    private struct LabelledKey: Hashable {
        var breakdown: Breakdown
        var name: String
        var outcome: RequestOutcome
    }

    /// Per cache key and per model counters, made once per name and outcome (making one looks up
    /// the registry under its lock: too slow for every request). Names are capped by the stats.
    private let labelled = Mutex<[LabelledKey: CoreMetrics.Counter]>([:])

    private func labelledCounter(_ breakdown: Breakdown, _ name: String, _ outcome: RequestOutcome) -> CoreMetrics.Counter {
        let key = LabelledKey(breakdown: breakdown, name: name, outcome: outcome)
        if let counter = labelled.withLock({ $0[key] }) { return counter }
        let counter =
            switch breakdown {
            case .cacheKey:
                CoreMetrics.Counter(
                    label: "heimdall_cache_key_requests_total", dimensions: [("cache_key", name), ("outcome", outcome.rawValue)],
                    factory: factory)
            case .model:
                CoreMetrics.Counter(
                    label: "heimdall_model_requests_total", dimensions: [("model", name), ("outcome", outcome.rawValue)],
                    factory: factory)
            }
        labelled.withLock { $0[key] = counter }
        return counter
    }

    /// Prometheus text format (version 0.0.4), with the store's figures read from `snapshot`.
    func exposition(_ snapshot: StatsSnapshot) -> String {
        func gauge(_ name: String, _ value: Double, _ labels: [(String, String)] = []) {
            Gauge(label: name, dimensions: labels, factory: factory).record(value)
        }
        gauge("heimdall_build_info", 1, [("version", snapshot.version)])
        gauge("heimdall_uptime_seconds", snapshot.uptimeSeconds)
        gauge("heimdall_cache_hit_ratio", snapshot.hitRate)
        gauge("heimdall_cache_entries", Double(snapshot.store.entries))
        gauge("heimdall_database_bytes", Double(snapshot.store.databaseBytes))
        gauge("heimdall_stored_bytes", Double(snapshot.store.rawBytes), [("form", "raw")])
        gauge("heimdall_stored_bytes", Double(snapshot.store.compressedBytes), [("form", "compressed")])
        let (expired, evicted) = mirrored.withLock { seen in
            defer { seen = (snapshot.store.expirations, snapshot.store.evictions) }
            return (max(0, snapshot.store.expirations - seen.expirations), max(0, snapshot.store.evictions - seen.evictions))
        }
        CoreMetrics.Counter(label: "heimdall_expirations_total", factory: factory).increment(by: expired)
        CoreMetrics.Counter(label: "heimdall_evictions_total", factory: factory).increment(by: evicted)
        let health = snapshot.storeHealth
        let (readFailures, writeFailures) = mirroredFailures.withLock { seen in
            defer { seen = (health.readFailures, health.writeFailures) }
            return (max(0, health.readFailures - seen.reads), max(0, health.writeFailures - seen.writes))
        }
        CoreMetrics.Counter(label: "heimdall_store_failures_total", dimensions: [("operation", "read")], factory: factory)
            .increment(by: readFailures)
        CoreMetrics.Counter(label: "heimdall_store_failures_total", dimensions: [("operation", "write")], factory: factory)
            .increment(by: writeFailures)
        gauge("heimdall_store_degraded", health.status == "ok" ? 0 : 1)
        return registry.emitToString()
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}
