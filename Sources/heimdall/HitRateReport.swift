import Foundation
import HeimdallCore
import HeimdallEvaluation

/// How `bench hitrate` prints its results: a table for people, JSON for machines.
enum HitRateReport {
    static func table(
        evaluation: HitRateEvaluation, rows: [HitRateEvaluation.Row], recommended: HitRateEvaluation.Row?, maxFalseHit: Double,
        model: String, elapsed: Duration
    ) -> String {
        var lines = [
            "embedder \(model); \(evaluation.scores.count) pairs (\(evaluation.duplicates) duplicates, \(evaluation.nonDuplicates) not); \(elapsed)",
            "threshold  precision  recall  false-hit  served",
        ]
        for row in rows {
            lines.append(
                String(
                    format: "%9.4f  %9.3f  %6.3f  %9.4f  %6d", row.threshold, row.precision, row.recall, row.falseHitRate,
                    row.truePositives + row.falsePositives))
        }
        if let r = recommended {
            lines.append(
                String(
                    format: "lowest threshold with false-hit rate <= %.4f: %.4f (precision %.3f, recall %.3f, false-hit %.4f)", maxFalseHit,
                    r.threshold, r.precision, r.recall, r.falseHitRate))
        } else {
            lines.append(String(format: "no threshold keeps the false-hit rate <= %.4f", maxFalseHit))
        }
        return lines.joined(separator: "\n")
    }

    static func json(
        evaluation: HitRateEvaluation, rows: [HitRateEvaluation.Row], recommended: HitRateEvaluation.Row?, maxFalseHit: Double,
        model: String
    ) -> String {
        func encode(_ row: HitRateEvaluation.Row) -> JSONValue {
            .object([
                ("threshold", .number("\(row.threshold)")), ("precision", .number("\(row.precision)")),
                ("recall", .number("\(row.recall)")), ("false_hit_rate", .number("\(row.falseHitRate)")),
                ("true_positives", .number("\(row.truePositives)")), ("false_positives", .number("\(row.falsePositives)")),
            ])
        }
        let document = JSONValue.object([
            ("embedder", .string(model)), ("pairs", .number("\(evaluation.scores.count)")),
            ("duplicates", .number("\(evaluation.duplicates)")), ("max_false_hit_rate", .number("\(maxFalseHit)")),
            ("recommended", recommended.map(encode) ?? .null), ("thresholds", .array(rows.map(encode))),
        ])
        return CanonicalJSON.string(document)
    }
}
