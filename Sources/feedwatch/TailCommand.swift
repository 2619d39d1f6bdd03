import ArgumentParser
import FeedwatchConfig
import FeedwatchCore
import FeedwatchStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch tail`: the alert log for a person, or raw lines for `jq`.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show alerts from the alert log, one readable line each.",
        discussion: """
            Each line shows the local time the alert was raised, the rule, the article's title, the feed \
            and the link. Control characters and terminal escape sequences that came from feeds are \
            removed. With --follow it keeps reading as alerts arrive and across log rotation (renamed or \
            truncated logs), like tail -F.
            """
    )

    @Option(help: ArgumentHelp("The config whose alert_log to read (default: $FEEDWATCH_CONFIG, then \(Configuration.defaultPath)).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Read this alert log instead of the config's.", valueName: "path"))
    var log: String?

    @Flag(name: [.short, .long], help: "Keep showing alerts as they are written.")
    var follow = false

    @Option(help: ArgumentHelp("Only alerts raised since then: a duration ago (2h, 1d, 30m) or an RFC 3339 time.", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("Only alerts of this rule.", valueName: "name"))
    var rule: String?

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("How many of the latest alerts to show first; all with --since.", valueName: "count"))
    var lines: Int = 10

    @Flag(help: "Print the raw JSON lines.")
    var json = false

    func validate() throws {
        if config != nil && log != nil { throw ValidationError("give --config or --log, not both") }
        if lines < 0 { throw ValidationError("--lines must be 0 or more") }
        _ = try sinceDate(now: Date())
    }

    func run() async throws {
        // A closed pipe (`feedwatch tail | head`) ends the command quietly instead of killing it.
        signal(SIGPIPE, SIG_IGN)
        let path = try logPath()
        let cutoff = try sinceDate(now: Date())
        let style = TerminalStyle.forDescriptor(STDOUT_FILENO)
        let follower = AlertLogFollower(path: path)
        var skipped = 0

        func selected(_ lines: [String]) -> [String] {
            lines.compactMap { line in
                guard let alert = try? Alert(line: line) else {
                    skipped += 1
                    return nil
                }
                if let rule, alert.rule != rule { return nil }
                if let cutoff, alert.detectedAt < cutoff { return nil }
                return json ? line : alert.displayLine(style: style)
            }
        }

        var shown = try selected(readLines(follower, path: path))
        if cutoff == nil { shown = Array(shown.suffix(lines)) }
        if !FileManager.default.fileExists(atPath: path) && !follow {
            warn("no alert log at \(path) yet: no alert has been written")
        }
        try emit(shown)
        while follow {
            try await Task.sleep(for: .milliseconds(250))
            try emit(selected(readLines(follower, path: path)))
        }
        if skipped > 0 { warn("skipped \(skipped) line\(skipped == 1 ? "" : "s") of \(path) that are not alerts") }
    }

    private func logPath() throws -> String {
        if let log { return log }
        return try Configuration.loadForCommand(option: config).alertLog
    }

    private func readLines(_ follower: AlertLogFollower, path: String) throws -> [String] {
        do {
            return try follower.readLines()
        } catch {
            warn(error.description)
            throw ExitCode(2)
        }
    }

    private func sinceDate(now: Date) throws -> Date? {
        guard let since else { return nil }
        if let duration = try? DurationText.parse(since) {
            return now.addingTimeInterval(-Double(duration.components.seconds))
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: since) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        if let date = formatter.date(from: since) { return date }
        throw ValidationError("--since '\(since)' is neither a duration (2h, 1d) nor an RFC 3339 time (2026-11-29T08:00:00Z)")
    }

    /// Writes lines to standard output with `write(2)`, ending quietly (exit 0) when the reader went away.
    private func emit(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw ExitCode.success }
                throw ExitCode.failure
            }
            bytes = bytes.dropFirst(written)
        }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data("feedwatch tail: \(message)\n".utf8))
    }
}
