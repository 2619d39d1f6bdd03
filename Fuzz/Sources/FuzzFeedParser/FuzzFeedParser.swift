import FeedwatchCore
import FeedwatchParser
import FuzzSupport

/// What a server may say beside the bytes; the input's first byte picks one, so every corpus file is
/// also tried as if served with a charset or a content type that may contradict it.
private let contexts: [FeedSourceContext] = [
    FeedSourceContext(),
    FeedSourceContext(baseURL: "https://example.org/news/feed.xml"),
    FeedSourceContext(httpCharset: "windows-1251", contentType: "application/rss+xml"),
    FeedSourceContext(httpCharset: "koi8-r", contentType: "text/xml"),
    FeedSourceContext(httpCharset: "utf-16", contentType: "application/atom+xml"),
    FeedSourceContext(httpCharset: "no-such-charset", contentType: "text/html"),
    FeedSourceContext(contentType: "application/feed+json"),
    FeedSourceContext(baseURL: "not a url", httpCharset: "iso-8859-1", contentType: "application/json"),
]

/// Bytes in, any format: detection, decoding, XML or JSON, every mapper, dates, HTML-to-text, links,
/// then the JSON that `feedwatch parse` prints. A thrown `FeedParseError` is a fine outcome; a trap,
/// a sanitizer report, a hang or a memory blow-up is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = LibFuzzer.bytes(data, size)
    let context = contexts[Int(bytes.first ?? 0) % contexts.count]
    guard let document = try? FeedParser().parse(bytes, context: context) else { return 0 }
    _ = document.json.serialized()
    return 0
}

@main
enum FuzzFeedParserMain {
    static func main() { LibFuzzer.run(fuzzFeedParser) }
}
