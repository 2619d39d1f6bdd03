import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

@testable import FeedwatchParser

/// The streaming entry point on a document far larger than any chunk, and arbitrary bytes on every entry point.
@Suite struct StreamingParserTests {
    /// Memory this process holds. In a sanitized build, the sanitizer allocator's count of live bytes: ASan keeps
    /// freed blocks in quarantine (256 MB by default) and maps shadow memory, so resident memory there follows what
    /// was ever allocated rather than what is held. Otherwise resident memory, from /proc/self/statm.
    private static func memoryInUse() -> Int {
        // Exported by the ASan and TSan runtimes only; absent from a normal build.
        if let symbol = dlsym(nil, "__sanitizer_get_current_allocated_bytes") {
            return unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)()
        }
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bulk the parser reads but keeps nothing of, so the document is large without making the test slow.
    private static let padding = String(repeating: "Comments are not part of the normalized output. ", count: 200)

    private static func item(_ index: Int) -> String {
        """
        <item><title>Item \(index): CIS ministers meet in Astana</title>
        <link>https://big.example/news/\(index)</link><guid>big-\(index)</guid>
        <pubDate>Fri, 10 Oct 2025 09:30:00 MSK</pubDate>
        <description><![CDATA[<p>Water &amp; transit.</p><p>Paragraph two, \(index).</p>]]></description>
        <content:encoded>&lt;p&gt;Body text with &amp;nbsp; entities.&lt;/p&gt;</content:encoded>
        <comments>\(padding)</comments>
        </item>

        """
    }

    /// A 42 MB feed written into a pipe while it is parsed: every item arrives, the first long before the writer
    /// is done, and memory stays far below the document's size.
    @Test func streamsAFeedMuchLargerThanItsMemory() throws {
        let itemCount = 4_000
        var pipe: [Int32] = [0, 0]
        #expect(Glibc.pipe(&pipe) == 0)
        let (readEnd, writeEnd) = (pipe[0], pipe[1])
        let progress = WriterProgress()
        let writer = Thread {
            func write(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let base = bytes.baseAddress else { return }
                    var offset = 0
                    while offset < bytes.count {
                        let written = Glibc.write(writeEnd, base + offset, bytes.count - offset)
                        guard written > 0 else { return }
                        offset += written
                    }
                }
            }
            write(#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">"#)
            write("<channel><title>Big</title>")
            for index in 0..<itemCount {
                write(Self.item(index))
                progress.itemsWritten.withLock { $0 = index + 1 }
            }
            write("</channel></rss>")
            close(writeEnd)
        }
        writer.start()
        defer { close(readEnd) }

        let baseline = Self.memoryInUse()
        var count = 0
        var writtenWhenFirstArrived = 0
        var peak = baseline
        var misplaced = 0
        let parser = FeedParser(configuration: FeedParser.Configuration(maxInputBytes: 200 << 20))
        let document = try parser.parse(fileDescriptor: readEnd) { item in
            if count == 0 { writtenWhenFirstArrived = progress.itemsWritten.withLock { $0 } }
            count += 1
            if count % 1000 == 0 { peak = max(peak, Self.memoryInUse()) }
            if item.id != "big-\(count - 1)" { misplaced += 1 }
        }
        #expect(misplaced == 0)
        #expect(count == itemCount)
        #expect(document.title == "Big")
        #expect(document.items.isEmpty)
        #expect(writtenWhenFirstArrived < itemCount / 4)
        // Holding the document would take 42 MB here, plus its decoded copy and libxml2's. Alone this test grows by
        // about 5 MB; other tests running in this process at the same time allocate too, so the bound leaves room.
        #expect(peak - baseline < 40 << 20, "memory in use grew by \((peak - baseline) >> 20) MB")
    }

    /// Random bytes and damaged fixtures give a document or a one-line error, never a crash or a hang.
    @Test func arbitraryBytesNeverCrash() throws {
        var random = SeededRandom(seed: 0x5EED_F00D)
        let directory = try #require(FixtureCorpusTests.directory)
        let samples = try FixtureCorpusTests.documents.map {
            try [UInt8](Data(contentsOf: directory.appendingPathComponent($0)))
        }
            .filter { $0.count < 20_000 && !$0.isEmpty }
        let interesting = Array("<>&;\"'/![]?=-#x:{}\0\u{FF}".utf8)
        for round in 0..<400 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                let count = Int.random(in: 0...2000, using: &random)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = samples[Int.random(in: samples.indices, using: &random)]
                for _ in 0..<Int.random(in: 1...20, using: &random) {
                    let position = Int.random(in: bytes.indices, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[position] = interesting[Int.random(in: interesting.indices, using: &random)]
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                    }
                    if bytes.isEmpty { break }
                }
            }
            do {
                let context = FeedSourceContext(baseURL: "https://fuzz.example/")
                let document = try FeedParser().parse(bytes, context: context)
                #expect(!document.json.serialized().isEmpty)
                #expect(document.items.allSatisfy { !$0.id.isEmpty })
            } catch {
                #expect(!error.description.isEmpty && !error.description.contains("\n"), "round \(round)")
            }
        }
    }
}

/// How far the writer thread got, read by the parsing thread.
private final class WriterProgress: Sendable {
    let itemsWritten = Mutex(0)
}
