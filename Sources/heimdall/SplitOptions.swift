import ArgumentParser
import HeimdallCore
import HeimdallEvaluation

/// `--train-fraction` and `--seed`: the reproducible split `bench train-verifier` trains on and
/// `bench hitrate --subset` evaluates, so both commands agree on which pairs were never seen.
struct SplitOptions: ParsableArguments {
    @Option(name: .customLong("train-fraction"), help: "Share of the pairs the verifier is trained on.")
    var trainFraction = 0.5

    @Option(help: "Seed of the shuffle that splits the pairs into training and held-out.")
    var seed: UInt64 = 1

    func split(count: Int) throws -> SeededSplit {
        guard (0...1).contains(trainFraction) else { throw ValidationError("--train-fraction must be between 0 and 1") }
        return SeededSplit(count: count, trainFraction: trainFraction, seed: seed)
    }
}
