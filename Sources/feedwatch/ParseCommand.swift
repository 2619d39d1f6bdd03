import ArgumentParser
import FeedwatchCore
import FeedwatchParser
import Foundation

/// `feedwatch parse SOURCE [--base-url URL]`: one feed as the contract's normalized JSON.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print a feed (RSS, Atom, RDF or JSON Feed) as normalized JSON.",
        discussion: """
            SOURCE is a file path, or - for standard input. Warnings about what was recovered from \
            (broken markup, odd encodings, unreadable dates) are listed in the output's "warnings". \
            A source that cannot be read or is not a feed exits with status 2.
            """
    )

    @Argument(help: "The feed: a file path, or - for standard input.")
    var source: String

    @Option(name: .customLong("base-url"), help: "The URL that relative links resolve against.")
    var baseURL: String?

    func run() throws {
        let parser = FeedParser()
        let context = FeedSourceContext(baseURL: baseURL)
        var items: [FeedItem] = []
        var document: FeedDocument
        do {
            if source == "-" {
                document = try parser.parse(fileDescriptor: STDIN_FILENO, context: context) { items.append($0) }
            } else {
                document = try parser.parse(contentsOfFile: source, context: context) { items.append($0) }
            }
        } catch {
            let name = source == "-" ? "standard input" : source
            FileHandle.standardError.write(Data("feedwatch parse: \(name): \(error)\n".utf8))
            throw ExitCode(2)
        }
        document.items = items
        print(document.json.prettySerialized())
    }
}
