import ArgumentParser
import FeedwatchConfig
import FeedwatchCore
import Foundation

/// `feedwatch check`: everything the daemon would refuse at start, found without starting it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the config and its rule files, and print a short summary.",
        discussion: """
            Checks every key, duration, URL and rule; that rule files and secrets can be read; and that \
            alert_log, state_dir and metrics_file can be written or created. Each error names its \
            file:line:column and shows the line with a caret. Exits 0 when all is well, 2 otherwise.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The config file (default: $FEEDWATCH_CONFIG, then \(Configuration.defaultPath)).", valueName: "path"))
    var config: String?

    func run() throws {
        let path = Configuration.path(option: config)
        let configuration: Configuration
        do {
            configuration = try Configuration.load(from: path, checkingFiles: true)
        } catch {
            let count = error.diagnostics.count
            FileHandle.standardError.write(
                Data("\(error.description)\n\(Self.counted(count, "error")) in \(path)\n".utf8))
            throw ExitCode(2)
        }
        print(Self.summary(of: configuration, path: path), terminator: "")
    }

    /// A few lines an operator reads to confirm the config says what they meant.
    static func summary(of configuration: Configuration, path: String) -> String {
        let feeds = configuration.feeds
        let enabled = feeds.filter(\.enabled).count
        let rules = configuration.rules
        let termCount = rules.termLists.reduce(0) { $0 + $1.terms.count }

        var lines = ["\(path): OK"]
        lines.append("feeds:      \(feeds.count)" + (enabled == feeds.count ? "" : " (\(enabled) enabled)"))
        let nameWidth = min(feeds.map { $0.name?.count ?? 0 }.max() ?? 0, 32)
        for feed in feeds {
            var line = "  "
            if nameWidth > 0 {
                line += (feed.name ?? "").padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
            }
            line += "every \(DurationText.format(feed.interval))  \(feed.url)"
            if !feed.enabled { line += "  (disabled)" }
            if let names = feed.ruleNames { line += "  rules: \(names.joined(separator: ", "))" }
            lines.append(line)
        }
        lines.append(
            "rules:      \(rules.names.count)"
                + (rules.names.isEmpty ? "" : " (\(rules.names.joined(separator: ", ")))"))
        lines.append("terms:      \(counted(rules.termLists.count, "list")), \(counted(termCount, "term"))")
        for file in configuration.ruleFiles { lines.append("rule file:  \(file)") }
        lines.append("alert log:  \(configuration.alertLog)")
        lines.append("state dir:  \(configuration.stateDirectory)")
        lines.append("metrics:    \(configuration.metricsFile)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// "1 list", "3 lists".
    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
