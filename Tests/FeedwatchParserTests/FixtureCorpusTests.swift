import FeedwatchCore
import Foundation
import Testing

@testable import FeedwatchParser

/// The fixture corpus: one small document per format and per hard case, each beside the output it must give.
///
/// `name.ext` is parsed with ``FixtureCorpusTests/baseURL`` as its URL; `name.expected.json` holds the exact
/// `feedwatch parse` JSON, or `name.expected-error.txt` the one-line error for a document that is not a feed.
@Suite struct FixtureCorpusTests {
    static let baseURL = "https://feeds.example/path/feed.xml"

    static let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures")

    /// Every fixture document: the files at the top of the folder that are not expectations.
    static let documents: [String] = {
        guard let directory,
            let entries = try? FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return entries.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map(\.lastPathComponent).filter { !$0.contains(".expected") }.sorted()
    }()

    @Test func corpusCoversEveryFormatAndHardCase() {
        #expect(Self.documents.count >= 30)
    }

    @Test(arguments: documents)
    func documentGivesItsExpectedOutput(_ name: String) throws {
        let directory = try #require(Self.directory)
        let stem = (name as NSString).deletingPathExtension
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
        let expectedJSON = directory.appendingPathComponent(stem + ".expected.json")
        let expectedError = directory.appendingPathComponent(stem + ".expected-error.txt")
        let outcome = Result { () throws(FeedParseError) in
            try FeedParser().parse(bytes, context: FeedSourceContext(baseURL: Self.baseURL))
        }
        if FileManager.default.fileExists(atPath: expectedError.path) {
            let expected = try String(contentsOf: expectedError, encoding: .utf8).trimmingCharacters(in: .newlines)
            switch outcome {
            case .success(let document):
                Issue.record("\(name) parsed as \(document.format.rawValue), expected the error: \(expected)")
            case .failure(let error):
                #expect(error.description == expected, "\(name)")
            }
        } else {
            let expected = try String(contentsOf: expectedJSON, encoding: .utf8).trimmingCharacters(in: .newlines)
            let document = try outcome.get()
            #expect(document.json.prettySerialized() == expected, "\(name)")
        }
    }

    /// The streaming entry point reads the same documents to the same result, item by item.
    @Test(arguments: documents)
    func streamingGivesTheSameOutput(_ name: String) throws {
        let directory = try #require(Self.directory)
        let path = directory.appendingPathComponent(name).path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let context = FeedSourceContext(baseURL: Self.baseURL)
        var items: [FeedItem] = []
        let streamed = Result { () throws(FeedParseError) in
            try FeedParser().parse(contentsOfFile: path, context: context) { items.append($0) }
        }
        let whole = Result { () throws(FeedParseError) in try FeedParser().parse(bytes, context: context) }
        switch (streamed, whole) {
        case (.success(var document), .success(let expected)):
            document.items = items
            #expect(document == expected, "\(name)")
        case (.failure(let error), .failure(let expected)):
            #expect(error == expected, "\(name)")
        default:
            Issue.record("\(name): streaming and whole-document parsing disagree")
        }
    }
}
