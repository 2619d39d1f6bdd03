import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchParser

/// Behaviour of ``FeedParser`` that a fixture file alone cannot show: the HTTP context, limits, chunking.
@Suite struct FeedParserTests {
    private static func rss(encoding: String, title: String) -> String {
        """
        <?xml version="1.0" encoding="\(encoding)"?>
        <rss version="2.0"><channel><title>\(title)</title><ttl>30</ttl>
        <item><title>\(title)</title><guid>a</guid></item></channel></rss>
        """
    }

    private static let russianTitle = "Саммит СНГ в Душанбе"

    @Test func httpCharsetOutranksTheDeclaration() throws {
        let bytes = try #require(Self.rss(encoding: "koi8-r", title: Self.russianTitle).data(using: .windowsCP1251))
        let document = try FeedParser().parse([UInt8](bytes), context: FeedSourceContext(httpCharset: "windows-1251"))
        #expect(document.encoding == "windows-1251")
        #expect(document.title == Self.russianTitle)
        #expect(document.warnings.isEmpty)
    }

    @Test func byteOrderMarkOutranksTheHTTPCharset() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(Self.rss(encoding: "koi8-r", title: Self.russianTitle).utf8)
        let document = try FeedParser().parse(bytes, context: FeedSourceContext(httpCharset: "windows-1251"))
        #expect(document.encoding == "utf-8")
        #expect(document.title == Self.russianTitle)
    }

    @Test func unknownHTTPCharsetIsIgnoredWithAWarning() throws {
        let bytes = Array(Self.rss(encoding: "utf-8", title: Self.russianTitle).utf8)
        let document = try FeedParser().parse(bytes, context: FeedSourceContext(httpCharset: "x-no-such-charset"))
        #expect(document.encoding == "utf-8")
        #expect(document.title == Self.russianTitle)
        #expect(
            document.warnings == [#"encoding: the server's charset "x-no-such-charset" is unknown and was ignored"#])
    }

    @Test func serverLabelContradictedByUTF8BytesIsOverruled() throws {
        let bytes = Array(Self.rss(encoding: "utf-8", title: Self.russianTitle).utf8)
        let document = try FeedParser().parse(bytes, context: FeedSourceContext(httpCharset: "iso-8859-1"))
        #expect(document.encoding == "utf-8")
        #expect(document.title == Self.russianTitle)
        #expect(document.warnings.first?.hasPrefix("encoding: the HTTP charset says iso-8859-1") == true)
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", ["content-type: the server said text/html, but the document is rss2.0"]),
        ("application/json", ["content-type: the server said application/json, but the document is rss2.0"]),
        ("application/rss+xml", []),
        ("text/xml", []),
        ("text/plain", []),
    ])
    func serverTypeThatDoesNotFitIsReported(contentType: String, expected: [String]) throws {
        let bytes = Array(Self.rss(encoding: "utf-8", title: "T").utf8)
        let document = try FeedParser().parse(bytes, context: FeedSourceContext(contentType: contentType))
        #expect(document.warnings == expected)
    }

    @Test func refreshHintsComeFromTTLAndTheSyndicationModule() throws {
        let rss = try FeedParser().parse(Array(Self.rss(encoding: "utf-8", title: "T").utf8))
        #expect(rss.refreshHint == RefreshHint(timeToLive: 1800, syndicationPeriod: nil))

        let rdf = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
            <channel><title>R</title><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>
            </channel></rdf:RDF>
            """
        let document = try FeedParser().parse(Array(rdf.utf8))
        #expect(document.refreshHint == RefreshHint(timeToLive: nil, syndicationPeriod: 21600))
    }

    @Test func inputOverTheSizeLimitFails() {
        let parser = FeedParser(configuration: FeedParser.Configuration(maxInputBytes: 1024))
        let bytes = Array(Self.rss(encoding: "utf-8", title: String(repeating: "long ", count: 300)).utf8)
        #expect(throws: FeedParseError.inputTooLarge(limit: 1024)) { try parser.parse(bytes) }
        #expect(FeedParseError.inputTooLarge(limit: 1024).description == "the input is larger than the 1 KB limit")
    }

    @Test func longFieldIsCutWithALimitWarning() throws {
        let parser = FeedParser(configuration: FeedParser.Configuration(maxFieldBytes: 100))
        let long = Self.rss(encoding: "utf-8", title: String(repeating: "a", count: 500))
        let document = try parser.parse(Array(long.utf8))
        #expect(document.title == String(repeating: "a", count: 100))
        #expect(document.warnings.first == "limit: a <title> of the feed was longer than 100 bytes and was cut")
    }

    /// A readable file named by an external entity, an external parameter entity and the external DTD subset
    /// must never be opened.
    @Test func externalEntitiesAndDTDsAreNeverLoaded() throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("<!ENTITY leak \"MARKER-DTD-7731\">MARKER-FILE-7731", to: "secret.dtd")
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "\(secret.absoluteString)" [
              <!ENTITY file SYSTEM "\(secret.absoluteString)">
              <!ENTITY % parameter SYSTEM "\(secret.absoluteString)">
              %parameter;
            ]>
            <rss version="2.0"><channel><title>A &file; B &leak; C</title>
            <item><title>&file;</title><guid>x</guid></item></channel></rss>
            """
        let parsed = try FeedParser().parse(Array(document.utf8))
        let output = parsed.json.serialized()
        #expect(!output.contains("MARKER"))
        #expect(parsed.title == "A B C")
        #expect(parsed.warnings.contains("xml: the external entity &file; was not loaded"))
    }

    @Test func billionLaughsStopsAtTheExpansionBudget() throws {
        var declarations = "<!ENTITY a0 \"ha\">"
        for level in 1...30 {
            declarations += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 2) + "\">"
        }
        let document =
            "<!DOCTYPE rss [\(declarations)]><rss version=\"2.0\"><channel><title>&a30;</title></channel></rss>"
        let clock = ContinuousClock()
        var parsed: FeedDocument?
        let elapsed = try clock.measure { parsed = try FeedParser().parse(Array(document.utf8)) }
        let warnings = try #require(parsed?.warnings)
        #expect(warnings.contains { $0.hasPrefix("limit: entity references") })
        #expect(elapsed < .seconds(2))
    }

    /// Chunk boundaries may fall inside a UTF-8 sequence, an entity, `<![CDATA[` or a multi-byte encoding's
    /// character: the result must not depend on where they fall.
    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func resultDoesNotDependOnChunkBoundaries(chunkSize: Int) throws {
        for name in FixtureCorpusTests.documents {
            let url = try #require(FixtureCorpusTests.directory).appendingPathComponent(name)
            let bytes = try [UInt8](Data(contentsOf: url))
            guard bytes.count < 20_000 else { continue }
            let context = FeedSourceContext(baseURL: FixtureCorpusTests.baseURL)
            let whole = Result { () throws(FeedParseError) in try FeedParser().parse(bytes, context: context) }
            var items: [FeedItem] = []
            let session = FeedReadSession(configuration: FeedParser.Configuration(), context: context) {
                items.append($0)
            }
            let chunked = Result { () throws(FeedParseError) -> FeedDocument in
                var start = 0
                repeat {
                    let end = min(bytes.count, start + chunkSize)
                    try bytes.withUnsafeBufferPointer { (all) throws(FeedParseError) in
                        try session.consume(UnsafeBufferPointer(rebasing: all[start..<end]), isLast: end == bytes.count)
                    }
                    start = end
                } while start < bytes.count && !session.isDone
                var document = try session.finish()
                document.items = items
                return document
            }
            switch (whole, chunked) {
            case (.success(let expected), .success(let document)):
                #expect(document == expected, "\(name) in chunks of \(chunkSize)")
            case (.failure(let expected), .failure(let error)):
                #expect(error == expected, "\(name) in chunks of \(chunkSize)")
            default:
                Issue.record("\(name) in chunks of \(chunkSize): chunked and whole parsing disagree")
            }
        }
    }
}
