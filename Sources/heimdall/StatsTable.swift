import Foundation
import HeimdallProxy

/// `heimdall stats` for people: the numbers of `/stats`, aligned.
enum StatsTable {
    static func render(_ s: StatsSnapshot, top: Int = 10) -> String {
        var lines: [String] = []
        lines.append(String(format: "heimdall %@, up %.0fs", s.version, s.uptimeSeconds))
        lines.append("")
        lines.append(
            String(
                format: "requests %d   hit rate %.1f%%   saved: %d upstream calls, %d tokens, %d bytes", s.requests.total,
                s.hitRate * 100, s.saved.upstreamCalls, s.saved.totalTokens, s.saved.upstreamBytes))
        let counts = s.requests
        lines.append(
            "  hit_direct \(counts.hitDirect)   hit_semantic \(counts.hitSemantic)   coalesced \(counts.coalesced)   miss \(counts.miss)   bypass \(counts.bypass)   error \(counts.error)"
        )
        lines.append("")
        lines.append(pad(["latency ms", "count", "p50", "p90", "p99", "max"]))
        let rows: [(String, StatsSnapshot.Latency)] = [
            ("hit", s.latencyMs.hit), ("hit_direct", s.latencyMs.hitDirect), ("hit_semantic", s.latencyMs.hitSemantic),
            ("coalesced", s.latencyMs.coalesced), ("miss", s.latencyMs.miss), ("bypass", s.latencyMs.bypass),
            ("error", s.latencyMs.error), ("upstream", s.latencyMs.upstream), ("embedding", s.latencyMs.embedding),
        ]
        for (name, l) in rows where l.count > 0 {
            lines.append(pad([name, "\(l.count)", ms(l.p50), ms(l.p90), ms(l.p99), ms(l.max)]))
        }
        if s.similarity.count > 0 {
            lines.append("")
            lines.append(
                String(
                    format: "semantic hits %d, similarity mean %.4f, min %.4f, max %.4f", s.similarity.count, s.similarity.mean,
                    s.similarity.min, s.similarity.max))
            for bucket in s.similarity.buckets where bucket.count > 0 {
                lines.append(String(format: "  <= %-6g %d", bucket.le, bucket.count))
            }
        }
        lines.append("")
        lines.append(
            String(
                format: "store: %d entries, database %d bytes, stored %d raw / %d compressed (%.2fx), %d evictions, %d expirations",
                s.store.entries, s.store.databaseBytes, s.store.rawBytes, s.store.compressedBytes, s.store.compressionRatio,
                s.store.evictions, s.store.expirations))
        for (title, rows) in [("cache key", s.byCacheKey), ("model", s.byModel)] where !rows.isEmpty {
            lines.append("")
            lines.append(pad([title, "requests", "hits", "misses", "hit rate", "tokens saved", "entries"], first: 28))
            for row in rows.prefix(top) {
                lines.append(
                    pad(
                        [
                            String(row.name.prefix(28)), "\(row.requests.total)", "\(row.requests.hits)", "\(row.requests.miss)",
                            String(format: "%.1f%%", row.hitRate * 100), "\(row.tokensSaved)", "\(row.entries)",
                        ], first: 28))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func ms(_ value: Double) -> String { String(format: "%.3f", value) }

    static func pad(_ cells: [String], first: Int = 14) -> String {
        cells.enumerated().map { index, cell in
            index == 0
                ? cell.padding(toLength: max(first, cell.count), withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(1, 12 - cell.count)) + cell
        }.joined()
    }
}
