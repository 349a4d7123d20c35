import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure cache quality and speed.",
        subcommands: [BenchHitRateCommand.self, BenchReplayCommand.self, BenchTrainVerifierCommand.self, BenchIVFCommand.self])
}
