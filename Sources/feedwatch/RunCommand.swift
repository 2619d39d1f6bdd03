import ArgumentParser
import FeedwatchConfig
import FeedwatchDaemon
import Logging

/// `feedwatch run [--config PATH] [--once]`: the daemon. Wiring only; the work is in FeedwatchDaemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll every feed on its schedule, match new items and append alerts.",
        discussion: """
            Runs until SIGTERM or SIGINT (exit 0); SIGHUP reloads the config (a bad one is reported \
            and the running one kept) and reopens the alert log. Logs go to standard error, with \
            journald priority prefixes when started by systemd. With --once, every feed is polled \
            one time and the command exits 0 when all were fetched and parsed, 3 when some failed.
            """
    )

    @Option(help: "The config file (default: $FEEDWATCH_CONFIG, then /etc/feedwatch/feedwatch.toml).")
    var config: String?

    @Flag(help: "Poll every feed once, write the alerts, save state and exit.")
    var once = false

    @Option(
        name: .customLong("log-level"),
        help:
            "Least severe message logged: trace, debug, info, notice, warning, error or critical (default: the config's log_level)."
    )
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError(
                "'\(logLevel)' is not a log level; use trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { _ in DaemonLogHandler(level: .info) }
        let options = Daemon.Options(
            configPath: Configuration.path(option: config), once: once,
            logLevel: logLevel.flatMap { Logger.Level(rawValue: $0) })
        let status = await Daemon.run(options: options, logger: Logger(label: "feedwatch"))
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
