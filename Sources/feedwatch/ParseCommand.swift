import ArgumentParser
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import Foundation

/// `feedwatch parse SOURCE [--base-url URL]`: one feed as the contract's normalized JSON.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print a feed (RSS, Atom, RDF or JSON Feed) as normalized JSON.",
        discussion: """
            SOURCE is a file path, - for standard input, or an http(s) URL, fetched as the daemon fetches \
            (the response's charset and media type reach the parser). Warnings about what was recovered from \
            (broken markup, odd encodings, unreadable dates) are listed in the output's "warnings". \
            A source that cannot be read or is not a feed exits with status 2.
            """
    )

    @Argument(help: "The feed: a file path, - for standard input, or an http(s):// URL.")
    var source: String

    @Option(name: .customLong("base-url"), help: "The URL that relative links resolve against.")
    var baseURL: String?

    func run() async throws {
        let parser = FeedParser()
        let context = FeedSourceContext(baseURL: baseURL)
        var items: [FeedItem] = []
        var document: FeedDocument
        let fetched = try await fetchIfURL()
        do {
            if let (body, fetched) = fetched {
                document = try parser.parse(body, context: fetched)
                items = document.items
            } else if source == "-" {
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

    /// For an http(s) URL, the body and what the response says about it; `nil` for a file or stdin.
    /// A failed fetch is an unreadable source: one line naming the URL and the reason, exit 2.
    private func fetchIfURL() async throws -> ([UInt8], FeedSourceContext)? {
        let lowered = source.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
        let result = await Fetcher().fetch(FetchRequest(url: source))
        guard let body = result.body else {
            let reason = result.error?.description ?? "the server sent no content"
            FileHandle.standardError.write(Data("feedwatch parse: \(source): \(reason)\n".utf8))
            throw ExitCode(2)
        }
        let context = FeedSourceContext(
            baseURL: baseURL ?? result.effectiveURL, httpCharset: result.headers.charset,
            contentType: result.headers.contentType)
        return (body, context)
    }
}
