import ArgumentParser
import FeedwatchCore

/// The in-process side of the benchmarks: bench/run starts this binary and compares its figures with
/// the peers'. Each subcommand prints one JSON line per measured phase, so the runner needs no parsing
/// beyond `json.loads`. Not installed with feedwatch; it exists only for bench/run.
@main
struct FeedwatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch-bench",
        abstract: "Measure feedwatch's parser, fetcher and rules engine for bench/run.",
        version: FeedwatchVersion.string,
        subcommands: [ParseCommand.self, MatchCommand.self, FetchCommand.self]
    )
}
