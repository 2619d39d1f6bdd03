import ArgumentParser
import FeedwatchConfig
import FeedwatchCore
import FeedwatchDaemon
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch status`: each configured feed's health from the saved state; safe while the daemon runs.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each feed's health: last success, last result, next poll, items and alerts.",
        discussion: """
            Reads the daemon's state read-only, so it works while `feedwatch run` is running. A feed \
            not yet polled shows 'never'. --json prints the array documented in CONTRACT.md.
            """
    )

    @Option(help: ArgumentHelp("The config file (default: $FEEDWATCH_CONFIG, then \(Configuration.defaultPath)).", valueName: "path"))
    var config: String?

    @Flag(help: "Print a JSON array, one object per configured feed.")
    var json = false

    func run() throws {
        let configuration = try Configuration.loadForCommand(option: config)
        let report: StatusReport
        do {
            report = try StatusReport(configuration: configuration)
        } catch {
            FileHandle.standardError.write(Data("feedwatch status: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if json {
            print(report.json.prettySerialized())
        } else {
            print(report.table(now: Date(), style: .forDescriptor(STDOUT_FILENO)), terminator: "")
        }
    }
}
