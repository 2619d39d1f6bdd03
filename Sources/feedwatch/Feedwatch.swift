import ArgumentParser
import FeedwatchCore

/// The `feedwatch` command. Each subcommand lives in its own file and only wires modules together.
@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news feeds for topics and record an alert when a matching article appears.",
        version: FeedwatchVersion.string,
        subcommands: [RunCommand.self, CheckCommand.self, ParseCommand.self, MatchCommand.self]
    )
}
