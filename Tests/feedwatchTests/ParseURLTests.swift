import FeedwatchTestSupport
import Foundation
import Testing

/// `feedwatch parse URL`: the built binary fetching from the loopback test server.
@Suite("feedwatch parse URL")
struct ParseURLTests {
    @Test("The charset from Content-Type reaches the parser, and links resolve against the fetched URL")
    func httpCharset() async throws {
        let server = try await TestHTTPServer()
        // "Новости" in windows-1251, with no encoding in the XML declaration: only the header says it.
        let title: [UInt8] = [0xCD, 0xEE, 0xE2, 0xEE, 0xF1, 0xF2, 0xE8]
        let body = Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>".utf8) + title
            + Array("</title><item><title>x</title><link>a/1</link></item></channel></rss>".utf8)
        try await server.route(
            "/cp1251.xml", TestResponse(headers: ["Content-Type": "text/xml; charset=windows-1251"], body: body))
        let outcome = try await FeedwatchProcess.run(["parse", server.url("/cp1251.xml")])
        #expect(outcome.exitCode == 0, "\(outcome)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(json["encoding"] as? String == "windows-1251")
        #expect(json["title"] as? String == "Новости")
        let items = json["items"] as? [[String: Any]] ?? []
        #expect(items.first?["link"] as? String == server.url("/a/1"))
    }

    @Test("A fetch that fails exits 2 with one line naming the URL and the reason")
    func fetchFails() async throws {
        let server = try await TestHTTPServer()
        let url = server.url("/missing.xml")
        let outcome = try await FeedwatchProcess.run(["parse", url])
        #expect(outcome.exitCode == 2)
        let message = outcome.standardError
        #expect(message.hasPrefix("feedwatch parse: \(url): "))
        #expect(message.contains("404"))
        #expect(message.filter { $0 == "\n" }.count == 1)
        #expect(outcome.standardOutput.isEmpty)
    }
}
