import ArgumentParser
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import Foundation

/// `feedwatch-bench fetch`: one poll of many feeds through the fetcher at concurrency K, each 200 body parsed.
///
/// The runner calls it twice with the same state file: the first poll gets every feed (all 200), the second
/// echoes the stored validators (all 304). Bodies are parsed as they arrive and dropped, and no more feeds are
/// in flight than transfers allowed, so memory follows the concurrency, not the number of feeds.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Poll a list of feed URLs once, parse what changed, and print counts and seconds as one JSON line."
    )

    @Option(help: "Feed URLs, one per line.")
    var urls: String

    @Option(help: "Validators and item counts from the previous poll; created or rewritten by this poll.")
    var state: String

    @Option(help: "Transfers at a time, overall and per host (every benchmark feed is on one host).")
    var concurrency = 16

    func run() async throws {
        let list = try String(contentsOfFile: urls, encoding: .utf8).split(separator: "\n").map(String.init)
        var known = try PollState.load(path: state)
        let fetcher = Fetcher(
            configuration: .init(maxConcurrentTransfers: concurrency, maxConcurrentTransfersPerHost: concurrency))
        let parser = FeedParser()

        let clock = PhaseClock()
        let outcomes = await withTaskGroup(of: PollOutcome.self) { group in
            // Only as many feeds in flight as transfers allowed: a body is parsed before the next feed
            // starts, so memory follows the concurrency, not the number of feeds.
            var pending = list.makeIterator()
            func startNext() {
                guard let url = pending.next() else { return }
                let request = FetchRequest(url: url, validators: known[url]?.validators ?? HTTPValidators())
                group.addTask { PollOutcome(url: url, result: await fetcher.fetch(request), parser: parser) }
            }
            for _ in 0..<concurrency { startNext() }
            var outcomes: [PollOutcome] = []
            outcomes.reserveCapacity(list.count)
            for await outcome in group {
                outcomes.append(outcome)
                startNext()
            }
            return outcomes
        }
        let elapsed = clock.elapsed()

        var fetched = 0
        var notModified = 0
        var failures: [String] = []
        var itemsParsed = 0
        for outcome in outcomes {
            switch outcome.kind {
            case .parsed(let items):
                fetched += 1
                itemsParsed += items
                known[outcome.url] = PollState.Feed(validators: outcome.validators, items: items)
            case .notModified:
                notModified += 1
                known[outcome.url]?.validators = outcome.validators
            case .failed(let reason):
                failures.append("\(outcome.url): \(reason)")
            }
        }
        try PollState.save(known, path: state)
        for failure in failures.prefix(10) { FileHandle.standardError.write(Data("\(failure)\n".utf8)) }

        let line: JSONValue = .object([
            ("feeds", .int(list.count)),
            ("ok", .int(fetched)),
            ("not_modified", .int(notModified)),
            ("failed", .int(failures.count)),
            ("items_parsed", .int(itemsParsed)),
            ("items_stored", .int(known.values.reduce(0) { $0 + $1.items })),
            ("seconds", .double(elapsed.wall)),
            ("cpu_seconds", .double(elapsed.cpu)),
            ("peak_rss_kb", .int(PhaseClock.peakResidentKilobytes())),
        ])
        print(line.serialized())
        if !failures.isEmpty { throw ExitCode.failure }
    }
}

/// What one feed's poll came to, with the body already parsed and dropped.
private struct PollOutcome: Sendable {
    enum Kind: Sendable {
        case parsed(items: Int)
        case notModified
        case failed(String)
    }

    var url: String
    var kind: Kind
    var validators: HTTPValidators

    init(url: String, result: FetchResult, parser: FeedParser) {
        self.url = url
        validators = result.validators
        switch result.outcome {
        case .notModified:
            kind = .notModified
        case .failed(let error):
            kind = .failed("fetch: \(error)")
        case .fetched(let body):
            let context = FeedSourceContext(
                baseURL: result.effectiveURL, httpCharset: result.headers.charset,
                contentType: result.headers.contentType)
            do throws(FeedParseError) {
                kind = .parsed(items: try parser.parse(body, context: context).items.count)
            } catch {
                kind = .failed("parse: \(error)")
            }
        }
    }
}

/// The benchmark's memory between polls: per feed its validators and how many items it had.
///
/// One tab-separated line per feed (url, ETag, Last-Modified, items); validators never hold tabs or newlines.
enum PollState {
    struct Feed {
        var validators: HTTPValidators
        var items: Int
    }

    static func load(path: String) throws -> [String: Feed] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        var feeds: [String: Feed] = [:]
        for (number, line) in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let items = Int(fields[3]) else {
                throw ValidationError("\(path):\(number + 1): expected url, etag, last-modified and items")
            }
            let validators = HTTPValidators(
                etag: fields[1].isEmpty ? nil : fields[1], lastModified: fields[2].isEmpty ? nil : fields[2])
            feeds[fields[0]] = Feed(validators: validators, items: items)
        }
        return feeds
    }

    static func save(_ feeds: [String: Feed], path: String) throws {
        let text = feeds.map { url, feed in
            "\(url)\t\(feed.validators.etag ?? "")\t\(feed.validators.lastModified ?? "")\t\(feed.items)\n"
        }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
