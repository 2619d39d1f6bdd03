import Foundation
import Testing

@testable import FeedwatchFetcher

@Suite("Response header parsing")
struct ResponseHeaderTests {
    @Test("Content-Type splits into a media type and a charset, quotes and case undone")
    func contentType() {
        #expect(ResponseHeaders.splitContentType("Text/XML; Charset='KOI8-R'") == ("text/xml", "koi8-r"))
        #expect(ResponseHeaders.splitContentType("application/atom+xml") == ("application/atom+xml", nil))
        #expect(ResponseHeaders.splitContentType("text/html; level=1; charset=\"utf-8\"") == ("text/html", "utf-8"))
        #expect(ResponseHeaders.splitContentType("; charset=") == (nil, nil))
        #expect(ResponseHeaders.splitContentType(nil) == (nil, nil))
    }

    @Test("Only max-age counts from Cache-Control")
    func cacheControl() {
        #expect(ResponseHeaders.maxAge(cacheControl: "public, max-age=300") == 300)
        #expect(ResponseHeaders.maxAge(cacheControl: "no-cache, Max-Age=\"60\"") == 60)
        #expect(ResponseHeaders.maxAge(cacheControl: "s-maxage=900, no-store") == nil)
        #expect(ResponseHeaders.maxAge(cacheControl: "max-age=soon") == nil)
    }

    @Test("Retry-After reads delay-seconds and all three HTTP-date forms, and rejects the rest")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let expected = Date(timeIntervalSince1970: 1_796_200_200)
        #expect(ResponseHeaders.retryAfter(" 90 ", now: now) == now + 90)
        #expect(ResponseHeaders.retryAfter("Wed, 02 Dec 2026 08:30:00 GMT", now: now) == expected)
        #expect(ResponseHeaders.retryAfter("Wednesday, 02-Dec-26 08:30:00 GMT", now: now) == expected)
        #expect(ResponseHeaders.retryAfter("Wed Dec  2 08:30:00 2026", now: now) == expected)
        #expect(ResponseHeaders.retryAfter("later", now: now) == nil)
    }
}
