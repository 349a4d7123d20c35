import HeimdallCore
import Testing

@testable import HeimdallEvaluation

@Suite struct HitRateEvaluationTests {
    let evaluation = HitRateEvaluation(scores: [
        .init(similarity: 0.99, duplicate: true), .init(similarity: 0.95, duplicate: true),
        .init(similarity: 0.92, duplicate: false), .init(similarity: 0.90, duplicate: true),
        .init(similarity: 0.85, duplicate: false), .init(similarity: 0.60, duplicate: false),
        .init(similarity: 0.50, duplicate: true), .init(similarity: 0.40, duplicate: false),
    ])

    @Test func countsPrecisionRecallAndFalseHits() {
        let row = evaluation.row(threshold: 0.9)
        #expect(row.truePositives == 3 && row.falsePositives == 1)
        #expect(row.precision == 0.75)
        #expect(row.recall == 0.75)
        #expect(row.falseHitRate == 0.25)
        let none = evaluation.row(threshold: 1.0)
        #expect(none.precision == 1 && none.recall == 0 && none.falseHitRate == 0)
    }

    @Test func findsTheLowestThresholdUnderTheTarget() throws {
        let zero = try #require(evaluation.threshold(maxFalseHitRate: 0))
        #expect(zero.threshold == 0.95)
        #expect(zero.recall == 0.5)
        let quarter = try #require(evaluation.threshold(maxFalseHitRate: 0.25))
        #expect(quarter.threshold == 0.90)
        #expect(evaluation.threshold(maxFalseHitRate: 1)?.threshold == 0.40)
    }

    @Test func defaultGridIsSortedAndFineAtTheTop() {
        let grid = HitRateEvaluation.defaultThresholds
        #expect(grid == grid.sorted())
        #expect(grid.contains(0.8) && grid.contains(0.95) && grid.contains(0.99))
        #expect(grid.first == 0.5)
    }
}
