import Foundation
import HeimdallCore
import HeimdallStore
import Synchronization

/// Everything `/stats` and `/metrics` report about the requests this process served: one
/// `record` per request, under one short lock; percentiles are computed only when asked.
public final class StatsRecorder: Sendable {
    /// Direct hits `DirectHitHandler` answered on the event loop (also counted as `hit_direct`).
    let answeredOnEventLoop = Atomic<Int>(0)
    struct State: Sendable {
        var requests = StatsSnapshot.OutcomeCounts()
        var latency: [RequestOutcome: LatencySamples] = [:]
        var hitLatency = LatencySamples()
        var upstreamLatency = LatencySamples()
        var embeddingLatency = LatencySamples()
        var similarity = SimilarityHistogram()
        var saved = StatsSnapshot.Savings()
        var upstream = StatsSnapshot.Upstream()
        var byCacheKey = BreakdownTable()
        var byModel = BreakdownTable()
        var timeline = HitTimeline()
    }

    /// Per-name counts, bounded: past `limit` names, new ones are counted under "(other)".
    struct BreakdownTable: Sendable {
        static let limit = 500
        static let overflow = "(other)"
        var rows: [String: (counts: StatsSnapshot.OutcomeCounts, tokensSaved: Int)] = [:]

        /// Returns the name the request was counted under, which `/metrics` uses as its label too.
        @discardableResult
        mutating func add(_ name: String, outcome: RequestOutcome, tokensSaved: Int) -> String {
            let key = rows[name] != nil || rows.count < Self.limit ? name : Self.overflow
            var row = rows[key] ?? (StatsSnapshot.OutcomeCounts(), 0)
            row.counts.total += 1
            row.counts[outcome] += 1
            row.tokensSaved += tokensSaved
            rows[key] = row
            return key
        }
    }

    private let state = Mutex(State())
    /// The store's figures as last read, served while it cannot be read.
    private let lastStored = Mutex<(StoreTotals, StoreBreakdown)?>(nil)
    let metrics: HeimdallMetrics
    let startedAt: Double
    private let startInstant = ContinuousClock.now
    /// Wall-clock time for the timeline; injected so tests can move it.
    private let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.now = now
        self.startedAt = now()
        self.metrics = HeimdallMetrics()
    }

    /// Counts one finished request; returns the outcome it was counted as.
    @discardableResult
    func record(_ record: RequestRecord, latency: Duration) -> RequestOutcome {
        let fields = record.fields
        let outcome = fields.outcome
        let tokensSaved = fields.promptTokensSaved + fields.completionTokensSaved
        let time = now()
        let labels = state.withLock { state -> (cacheKey: String?, model: String?) in
            state.requests.total += 1
            state.requests[outcome] += 1
            state.latency[outcome, default: LatencySamples()].add(latency)
            if outcome == .hitDirect || outcome == .hitSemantic { state.hitLatency.add(latency) }
            if let upstream = fields.upstream {
                state.upstreamLatency.add(upstream)
                state.upstream.calls += 1
                state.upstream.bytes += fields.upstreamBytes
            }
            if let embedding = fields.embedding { state.embeddingLatency.add(embedding) }
            if outcome == .hitSemantic, let similarity = fields.similarity { state.similarity.add(similarity) }
            if outcome.isHit {
                state.saved.upstreamCalls += 1
                state.saved.upstreamBytes += fields.bytesSaved
                state.saved.promptTokens += fields.promptTokensSaved
                state.saved.completionTokens += fields.completionTokensSaved
                state.saved.totalTokens += tokensSaved
            }
            state.timeline.add(at: time, hit: outcome.isHit, lookup: outcome.isHit || outcome == .miss)
            return (
                fields.cacheKey.map { state.byCacheKey.add($0, outcome: outcome, tokensSaved: tokensSaved) },
                fields.model.map { state.byModel.add($0, outcome: outcome, tokensSaved: tokensSaved) }
            )
        }
        metrics.record(outcome: outcome, latency: latency, fields: fields, cacheKey: labels.cacheKey, model: labels.model)
        return outcome
    }

    /// The `/stats` document: this process's counts plus the store's totals. A store that cannot be
    /// read costs only its own figures: the last ones read are served again (zero before any), and
    /// `store_health` says why.
    public func snapshot(store: CacheStore, health: StoreHealth) -> StatsSnapshot {
        let (totals, stored) = storedFigures(store, health: health)
        let state = state.withLock { $0 }
        func latency(_ outcome: RequestOutcome) -> StatsSnapshot.Latency { (state.latency[outcome] ?? LatencySamples()).summary() }
        func rows(_ table: BreakdownTable, entries: [String: Int]) -> [StatsSnapshot.Breakdown] {
            var result: [StatsSnapshot.Breakdown] = table.rows.map { name, row in
                StatsSnapshot.Breakdown(
                    name: name, requests: row.counts, hitRate: row.counts.hitRate, tokensSaved: row.tokensSaved,
                    entries: entries[name] ?? 0)
            }
            for (name, count) in entries where table.rows[name] == nil {
                result.append(
                    StatsSnapshot.Breakdown(name: name, requests: .init(), hitRate: 0, tokensSaved: 0, entries: count))
            }
            return result.sorted { ($0.requests.total, $0.entries, $1.name) > ($1.requests.total, $1.entries, $0.name) }
        }
        return StatsSnapshot(
            version: HeimdallVersion.current, startedAt: startedAt,
            uptimeSeconds: LatencySamples.round(LatencySamples.milliseconds(ContinuousClock.now - startInstant)) / 1000,
            requests: state.requests, hitRate: state.requests.hitRate,
            latencyMs: StatsSnapshot.Latencies(
                hit: state.hitLatency.summary(), hitDirect: latency(.hitDirect), hitSemantic: latency(.hitSemantic),
                miss: latency(.miss), bypass: latency(.bypass), error: latency(.error), coalesced: latency(.coalesced),
                upstream: state.upstreamLatency.summary(), embedding: state.embeddingLatency.summary()),
            similarity: state.similarity.summary(), saved: state.saved, upstream: state.upstream,
            store: StatsSnapshot.Store(
                entries: totals.entries, databaseBytes: totals.databaseBytes, rawBytes: totals.rawBytes,
                compressedBytes: totals.storedBytes,
                compressionRatio: totals.storedBytes == 0 ? 0 : Double(totals.rawBytes) / Double(totals.storedBytes),
                evictions: store.counters.evictions, expirations: store.counters.expirations),
            storeHealth: health.snapshot(),
            byCacheKey: rows(state.byCacheKey, entries: stored.entriesByCacheKey),
            byModel: rows(state.byModel, entries: stored.entriesByModel),
            timeline: StatsSnapshot.Timeline(intervalSeconds: HitTimeline.intervalSeconds, points: state.timeline.points))
    }

    private func storedFigures(_ store: CacheStore, health: StoreHealth) -> (StoreTotals, StoreBreakdown) {
        do {
            let figures = (try store.totals(), try store.breakdown())
            lastStored.withLock { $0 = figures }
            return figures
        } catch {
            health.failed(.read, error)
            return lastStored.withLock { $0 } ?? (StoreTotals.zero, StoreBreakdown())
        }
    }

}
