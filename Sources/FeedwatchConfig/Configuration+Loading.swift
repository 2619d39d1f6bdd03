import FeedwatchCore
import FeedwatchRules
import Foundation

/// Every problem a config has, each a `file:line:column` diagnostic with its source line.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension Configuration {
    /// Where the config is when neither `--config` nor `$FEEDWATCH_CONFIG` says otherwise.
    public static let defaultPath = "/etc/feedwatch/feedwatch.toml"
    /// The environment variable that names the config when `--config` is not given.
    public static let pathVariable = "FEEDWATCH_CONFIG"

    /// The config file a command reads: `--config` when given, else `$FEEDWATCH_CONFIG` when set and
    /// not empty, else `/etc/feedwatch/feedwatch.toml`. Every command resolves it here, so they agree.
    public static func path(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let option { return option }
        if let variable = environment[pathVariable], !variable.isEmpty { return variable }
        return defaultPath
    }

    /// Reads and validates the config at `path`, and the rule files it names.
    ///
    /// - Parameters:
    ///   - path: the config file, as the user gave it; diagnostics name it the same way.
    ///   - environment: where `password_env` and `value_env` secrets are looked up.
    ///   - checkingFiles: also check what a running daemon needs from the file system: `alert_log`,
    ///     `state_dir` and `metrics_file` writable or creatable, and each local feed file readable.
    ///     `check` and `run` ask for this; `tail`, `status` and `match` need not, as they may run as
    ///     another user than the daemon.
    /// - Throws: `ConfigurationError` with every problem found, in file order.
    public static func load(
        from path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        checkingFiles: Bool = false
    ) throws(ConfigurationError) -> Configuration {
        let absolutePath = URL(fileURLWithPath: path).standardizedFileURL.path
        let document: TOMLDocument
        do {
            document = try TOMLDocument.read(absolutePath, shownAs: path, what: "config file")
        } catch {
            throw ConfigurationError([error])
        }
        let context = LoadContext(
            configDirectory: (absolutePath as NSString).deletingLastPathComponent, environment: environment,
            checksFiles: checkingFiles)
        let loader = ConfigurationLoader(document: document, context: context)
        var configuration = loader.load()
        configuration.file = absolutePath
        let diagnostics = context.diagnostics
        guard diagnostics.isEmpty else { throw ConfigurationError(loader.inFileOrder(diagnostics)) }
        return configuration
    }
}

/// Builds a `Configuration` from a parsed main config, reporting every problem to its context.
final class ConfigurationLoader {
    let document: TOMLDocument
    let context: LoadContext
    /// Rule files in the order `rule_files` names them, for ordering diagnostics by file.
    private(set) var ruleDocuments: [TOMLDocument] = []
    /// Each feed's `rules` list, checked once every rule is known.
    var feedRuleNames: [FeedRuleNames] = []

    init(document: TOMLDocument, context: LoadContext) {
        self.document = document
        self.context = context
    }

    func load() -> Configuration {
        let root = TableReader(table: document.root, path: .root, document: document, context: context)
        let defaults = Configuration()

        let stateDirectory = root.filePath("state_dir")?.value ?? defaults.stateDirectory
        let defaultInterval = root.duration("interval", atLeast: .seconds(1)) ?? defaults.defaultInterval
        let feeds = readFeeds(root, defaultInterval: defaultInterval)
        let ruleFiles = readRuleFiles(root)
        let options = RuleEngine.Options(foldDiacritics: root.bool("fold_diacritics") ?? true)
        let rules = compile([readRuleSource(root)] + ruleDocuments.map(readRuleFile), options: options)
        checkRuleNames(of: feedRuleNames, against: rules.names)

        let configuration = Configuration(
            alertLog: root.filePath("alert_log")?.value ?? defaults.alertLog,
            stateDirectory: stateDirectory,
            metricsFile: root.filePath("metrics_file")?.value,
            backfill: readBackfill(root) ?? defaults.backfill,
            logLevel: readLogLevel(root) ?? defaults.logLevel,
            defaultInterval: defaultInterval,
            maxInterval: root.duration("max_interval", atLeast: .seconds(1)) ?? defaults.maxInterval,
            retention: root.duration("retention") ?? defaults.retention,
            fetch: root.table("fetch").map(readFetch) ?? defaults.fetch,
            feeds: feeds,
            ruleFiles: ruleFiles,
            rules: rules
        )
        if context.checksFiles {
            checkWritable(configuration.alertLog, key: "alert_log", directory: false, in: root)
            let stateDirectoryIsUsable = checkWritable(
                configuration.stateDirectory, key: "state_dir", directory: true, in: root)
            // A metrics file inside an unusable state_dir would only repeat the state_dir's error.
            if stateDirectoryIsUsable || !configuration.metricsFile.hasPrefix(configuration.stateDirectory + "/") {
                checkWritable(configuration.metricsFile, key: "metrics_file", directory: false, in: root)
            }
        }
        root.rejectUnknownKeys()
        return configuration
    }

    /// Reports a path the daemon could not write or create, where the config sets it (or without a
    /// location when it is a default), and returns whether the path is usable.
    @discardableResult
    private func checkWritable(_ path: String, key: String, directory: Bool, in root: TableReader) -> Bool {
        guard let problem = LocalFile.writeProblem(at: path, directory: directory) else { return true }
        let location = root.valueLocation(key)
        root.report("\(key)\(location == nil ? " (default)" : ""): \(problem)", at: location)
        return false
    }

    /// Sorts diagnostics by file (the config first, then rule files in order), then by position.
    func inFileOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let files = [document.path] + ruleDocuments.map(\.path)
        func key(_ diagnostic: Diagnostic, _ offset: Int) -> (Int, Int, Int, Int) {
            guard let location = diagnostic.location else { return (-1, 0, 0, offset) }
            return (files.firstIndex(of: location.file) ?? files.count, location.line, location.column, offset)
        }
        return diagnostics.enumerated()
            .sorted { key($0.element, $0.offset) < key($1.element, $1.offset) }
            .map(\.element)
    }

    // MARK: - Top-level values

    /// Reads each file of `rule_files`; an unreadable one is reported where the config names it.
    private func readRuleFiles(_ root: TableReader) -> [String] {
        var paths: [String] = []
        for entry in root.strings("rule_files") ?? [] {
            let path = context.resolve(entry.value)
            paths.append(path)
            do {
                ruleDocuments.append(
                    try TOMLDocument.read(path, shownAs: shownPath(of: entry.value), what: "rule file"))
            } catch  where error.location == nil {
                root.report(error.message, at: entry.location)
            } catch {
                context.report(error)
            }
        }
        return paths
    }

    /// How diagnostics name a file the config refers to: beside the config's own name as the user gave it.
    private func shownPath(of relativePath: String) -> String {
        if relativePath.hasPrefix("/") { return relativePath }
        let folder = (document.path as NSString).deletingLastPathComponent
        return folder.isEmpty ? relativePath : (folder as NSString).appendingPathComponent(relativePath)
    }

    private func readBackfill(_ root: TableReader) -> Configuration.Backfill? {
        guard let text = root.string("backfill", expected: "a duration such as \"24h\", or \"all\"") else { return nil }
        if text.value == "all" { return .all }
        return root.duration(text, for: "backfill").map { .window($0) }
    }

    private func readLogLevel(_ root: TableReader) -> Configuration.LogLevel? {
        guard let text = root.string("log_level") else { return nil }
        if let level = Configuration.LogLevel(rawValue: text.value) { return level }
        let names = Configuration.LogLevel.allCases.map(\.rawValue)
        var message = "unknown log_level '\(text.value)'; use one of \(names.joined(separator: ", "))"
        if let suggestion = Spelling.closest(to: text.value, among: names) {
            message = "unknown log_level '\(text.value)'; did you mean '\(suggestion)'?"
        }
        root.report(message, at: text.location)
        return nil
    }

    private func readFetch(_ reader: TableReader) -> Configuration.Fetch {
        let defaults = Configuration.Fetch()
        let fetch = Configuration.Fetch(
            concurrency: reader.integer("concurrency", atLeast: 1) ?? defaults.concurrency,
            perHostConcurrency: reader.integer("per_host_concurrency", atLeast: 1) ?? defaults.perHostConcurrency,
            connectTimeout: reader.duration("connect_timeout", atLeast: .seconds(1)) ?? defaults.connectTimeout,
            timeout: reader.duration("timeout", atLeast: .seconds(1)) ?? defaults.timeout,
            lowSpeedLimit: reader.size("low_speed_limit") ?? defaults.lowSpeedLimit,
            lowSpeedTime: reader.duration("low_speed_time", atLeast: .seconds(1)) ?? defaults.lowSpeedTime,
            maxBodySize: reader.size("max_body_size") ?? defaults.maxBodySize,
            maxRedirects: reader.integer("max_redirects", atLeast: 0) ?? defaults.maxRedirects,
            caBundle: readCABundle(reader),
            allowPrivateRedirects: reader.bool("allow_private_redirects") ?? defaults.allowPrivateRedirects,
            userAgent: reader.string("user_agent").flatMap { headerValue($0, for: "user_agent", in: reader) }
                ?? defaults.userAgent
        )
        reader.rejectUnknownKeys()
        return fetch
    }

    /// `ca_bundle` must be readable now: a daemon that finds out at its first TLS handshake fails every feed.
    private func readCABundle(_ reader: TableReader) -> String? {
        guard let path = reader.filePath("ca_bundle") else { return nil }
        do {
            _ = try LocalFile.contents(of: path.value)
        } catch {
            reader.report("cannot read ca_bundle \(path.value): \(error.reason)", at: path.location)
        }
        return path.value
    }
}
