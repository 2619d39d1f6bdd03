import FeedwatchConfig
import FeedwatchFetcher
import FeedwatchParser
import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct FeedLoaderTests {
    @Test func anUntouchedLocalFeedIsNotParsedAgain() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        let feed = Configuration.Feed(url: workspace.directory.file("a.xml").absoluteString)
        let loader = FeedLoader(fetcher: Fetcher(), parser: FeedParser(), allowsPrivateRedirects: false)

        let first = await loader.load(feed, from: feed.url, validators: nil, processed: nil)
        guard case .parsed(let document, let response) = first else {
            Issue.record("expected a parsed document, got \(first)")
            return
        }
        #expect(document.items.map(\.id) == ["urn:a:1"])
        let fingerprint = try #require(response.fingerprint)

        guard case .notModified = await loader.load(feed, from: feed.url, validators: nil, processed: fingerprint)
        else {
            Issue.record("an untouched file was parsed again")
            return
        }
        // Replaced by the publisher: read again.
        try workspace.writeFeed("a", items: [Workspace.item(2), Workspace.item(1)])
        let changed = await loader.load(feed, from: feed.url, validators: nil, processed: fingerprint)
        guard case .parsed(let again, _) = changed else {
            Issue.record("a replaced file was not read again, got \(changed)")
            return
        }
        #expect(again.items.count == 2)
    }
}
