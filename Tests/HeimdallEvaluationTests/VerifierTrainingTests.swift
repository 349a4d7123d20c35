import HeimdallCore
import Testing

@testable import HeimdallEvaluation

@Suite struct VerifierTrainingTests {
    /// 200 rows of two features: the first separates the labels with noise, the second is noise.
    static let synthetic: (rows: [[Double]], labels: [Bool]) = {
        var generator = SplitMix64(seed: 7)
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for i in 0..<200 {
            let label = i % 3 == 0
            let noise = Double(generator.next() % 1000) / 1000
            rows.append([(label ? 1.0 : 0.0) + noise, Double(generator.next() % 1000) / 100])
            labels.append(label)
        }
        return (rows, labels)
    }()

    @Test func splitIsSeededAndPartitionsTheItems() {
        let split = SeededSplit(count: 10, trainFraction: 0.5, seed: 1)
        #expect(split == SeededSplit(count: 10, trainFraction: 0.5, seed: 1))
        #expect(split != SeededSplit(count: 10, trainFraction: 0.5, seed: 2))
        #expect(split.train.count == 5 && split.heldOut.count == 5)
        #expect((split.train + split.heldOut).sorted() == Array(0..<10))
        #expect(split.train == split.train.sorted())
        #expect(SeededSplit(count: 3, trainFraction: 1, seed: 9).heldOut.isEmpty)
    }

    @Test func splitMix64MatchesItsReferenceOutput() {
        // First outputs for seed 0 from the reference C implementation.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func choleskySolvesASmallSystem() {
        let x = LogisticRegression.solve([[4, 2], [2, 3]], [2, 1])
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1] - 0) < 1e-12)
    }

    @Test func trainingIsDeterministicAndLearnsTheSignal() {
        let (rows, labels) = Self.synthetic
        let first = VerifierTraining(rows: rows, labels: labels, l2: 0.01, folds: 5, seed: 1)
        let second = VerifierTraining(rows: rows, labels: labels, l2: 0.01, folds: 5, seed: 1)
        #expect(first.model == second.model, "bit-for-bit the same weights")
        #expect(first.outOfFold == second.outOfFold)
        #expect(first.model.weights[0] > 1 && abs(first.model.weights[1]) < first.model.weights[0] / 5)
        #expect(first.model.probability([1.5, 5]) > 0.9 && first.model.probability([0.2, 5]) < 0.1)
        #expect(first.outOfFold.count == rows.count && first.outOfFold.allSatisfy { (0...1).contains($0) })
    }

    @Test func strongerPenaltyShrinksTheWeights() {
        let (rows, labels) = Self.synthetic
        let loose = LogisticRegression(rows: rows, labels: labels, l2: 0.001)
        let tight = LogisticRegression(rows: rows, labels: labels, l2: 1)
        #expect(abs(tight.weights[0]) < abs(loose.weights[0]))
    }

    @Test func cutoffKeepsFalseHitsUnderTheTargetAboveTheThreshold() {
        // Four duplicates, four not; cosine gate at 0.9.
        let similarities = [0.95, 0.97, 0.92, 0.85, 0.96, 0.93, 0.91, 0.99]
        let probabilities = [0.9, 0.8, 0.3, 0.99, 0.7, 0.4, 0.2, 0.95]
        let labels = [true, true, true, true, false, false, false, false]
        // A non-duplicate scores highest of all (0.95): no cut-off serves anything without a false hit.
        #expect(
            VerifierTraining.cutoff(
                similarities: similarities, probabilities: probabilities, labels: labels, threshold: 0.9, maxFalseHitRate: 0) == nil)
        let quarter = VerifierTraining.cutoff(
            similarities: similarities, probabilities: probabilities, labels: labels, threshold: 0.9, maxFalseHitRate: 0.25)
        #expect(quarter == 0.8)
        // One in four allowed: cut-off 0.8 serves 0.95 (wrong), 0.9 and 0.8 (right); 0.85's 0.99 stays gated by cosine.
        let row = VerifierTraining.gated(similarities: similarities, probabilities: probabilities, labels: labels, threshold: 0.9)
            .threshold(maxFalseHitRate: 0.25)
        #expect(row?.threshold == 0.8 && row?.truePositives == 2 && row?.falsePositives == 1)
        #expect(row?.recall == 0.5 && row?.falseHitRate == 0.25, "over all duplicates and non-duplicates, as bench hitrate counts")
    }
}
