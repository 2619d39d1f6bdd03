import ArgumentParser
import FeedwatchConfig
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import FeedwatchRules
import Foundation

/// `feedwatch match`: the configured rules run over one feed, showing which items match and why.
/// Reads nothing but the config and the source; writes nothing but standard output.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Show which items of a feed the configured rules match, and why.",
        discussion: """
            SOURCE is a file path, - for standard input, or an http(s) URL. For each matching item it prints \
            the title and link, then each rule with its score and terms, and an excerpt with the terms \
            highlighted (in colour on a terminal, in [brackets] otherwise). With --json, one JSON object per \
            matching item: {"item_id", "title", "link", "rules": [{"name", "terms"}]}. Nothing is written and \
            no state is touched. Exits 2 when the config, the rule name or the source is unusable.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The config file (default: $FEEDWATCH_CONFIG, then \(Configuration.defaultPath)).", valueName: "path"))
    var config: String?

    @Argument(help: "The feed: a file path, - for standard input, or an http(s) URL.")
    var source: String

    @Option(help: "Only this rule.")
    var rule: String?

    @Flag(help: "One JSON object per matching item.")
    var json = false

    func run() async throws {
        let path = Configuration.path(option: config)
        let configuration: Configuration
        do {
            configuration = try Configuration.load(from: path)
        } catch {
            throw failure("\(error.description)")
        }
        if let rule, !configuration.rules.names.contains(rule) {
            throw failure("no rule named '\(rule)' in \(path); rules: \(configuration.rules.names.joined(separator: ", "))")
        }
        let engine = configuration.rules.engine
        let style = OutputStyle(colour: !json && isatty(STDOUT_FILENO) == 1)
        for item in try await items() {
            let matches = engine.match(item).filter { rule == nil || $0.rule == rule }
            guard !matches.isEmpty else { continue }
            print(json ? Self.jsonLine(item, matches) : style.describe(item, matches))
        }
    }

    /// The source's items: read from a file or standard input, or fetched.
    private func items() async throws -> [FeedItem] {
        let parser = FeedParser()
        let name = source == "-" ? "standard input" : source
        do {
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                let result = await Fetcher().fetch(FetchRequest(url: source))
                guard let body = result.body else {
                    throw failure("\(source): \(result.error.map(\.description) ?? "no content")")
                }
                let context = FeedSourceContext(
                    baseURL: result.effectiveURL, httpCharset: result.headers.charset,
                    contentType: result.headers.contentType)
                return try parser.parse(body, context: context).items
            }
            var items: [FeedItem] = []
            if source == "-" {
                _ = try parser.parse(fileDescriptor: STDIN_FILENO, context: FeedSourceContext()) { items.append($0) }
            } else {
                _ = try parser.parse(contentsOfFile: source, context: FeedSourceContext()) { items.append($0) }
            }
            return items
        } catch let reported as ExitCode {
            throw reported
        } catch {
            throw failure("\(name): \(error)")
        }
    }

    /// The contract's `--json` line.
    static func jsonLine(_ item: FeedItem, _ matches: [RuleMatch]) -> String {
        let rules = matches.map { JSONValue.object([("name", .string($0.rule)), ("terms", .strings($0.terms))]) }
        return JSONValue.object([
            ("item_id", .string(item.id)), ("title", .string(item.title)), ("link", .string(item.link)),
            ("rules", .array(rules)),
        ]).serialized()
    }

    /// Reports `message` and gives the exit status 2 to throw. Throwing, rather than exiting here, unwinds
    /// and frees the loaded rules first: LeakSanitizer cannot follow Swift's tagged enum pointers, so rules
    /// still alive at exit would read as leaks under `scripts/sanitize address`.
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("feedwatch match: \(message)\n".utf8))
        return ExitCode(2)
    }
}

/// How a person sees a match: colour on a terminal, brackets when piped.
struct OutputStyle {
    var colour: Bool

    func describe(_ item: FeedItem, _ matches: [RuleMatch]) -> String {
        var lines = [bold(item.title ?? "(untitled)") + (item.link.map { "  \($0)" } ?? "")]
        for match in matches {
            let score = match.score.formatted(.number.precision(.fractionLength(0...1)))
            lines.append("  \(match.rule)  score \(score)  terms: \(match.terms.joined(separator: ", "))")
            if let snippet = MatchSnippet.best(for: match, in: item) {
                lines.append("    \(snippet.field.rawValue): " + snippet.rendered(marking: highlight))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func highlight(_ term: String) -> String { colour ? "\u{1B}[1;33m\(term)\u{1B}[0m" : "[\(term)]" }
}
