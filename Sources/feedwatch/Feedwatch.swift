import ArgumentParser
import FeedwatchCore
import Foundation

/// The `feedwatch` command. Each subcommand lives in its own file and only wires modules together.
@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news feeds for topics and record an alert when a matching article appears.",
        version: FeedwatchVersion.string,
        subcommands: [
            RunCommand.self, CheckCommand.self, ParseCommand.self, MatchCommand.self, TailCommand.self,
            StatusCommand.self,
        ]
    )

    /// Runs the chosen subcommand, reporting usage errors the way CONTRACT.md asks: one line on
    /// stderr and exit status 2 (ArgumentParser's own default is 64, EX_USAGE).
    static func main() async {
        MallocFootprint.bound()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data("feedwatch: \(message(for: error)) (see 'feedwatch --help')\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
