import Foundation

/// What came of one ``FetchRequest``: a value in every case, failures included.
public struct FetchResult: Sendable {
    /// The three ways a poll can end.
    public enum Outcome: Sendable {
        /// A 2xx response; `body` holds the decoded bytes.
        case fetched(body: [UInt8])
        /// A 304: the stored copy is current. Nothing to parse and nothing to retry.
        case notModified
        /// No usable response; see ``FetchError``. An HTTP error status is a failure too, with ``status`` set.
        case failed(FetchError)
    }

    public var outcome: Outcome
    /// The final response's status code; `nil` when no HTTP response arrived.
    public var status: Int?
    /// The headers of the final response that matter to a feed reader.
    public var headers: ResponseHeaders
    /// What to send next time: the response's validators after a 200, the refreshed ones after a 304
    /// (falling back to those sent when the 304 omits them), and the request's own after a failure.
    public var validators: HTTPValidators
    /// The URL of the final hop.
    public var effectiveURL: String
    /// Where the feed has moved for good: the target of the leading run of 301/308 redirects.
    /// The next poll should request this URL; `nil` when the first hop was not a permanent redirect.
    public var permanentRedirect: String?
    /// How many redirects were followed.
    public var redirects: Int
    /// The HTTP version the final response came over; `nil` when no response arrived.
    public var httpVersion: HTTPVersion?
    /// Wall time from the first connection attempt to the end, queueing for a free slot excluded.
    public var elapsed: Duration

    /// The failure, if the fetch failed.
    public var error: FetchError? {
        if case .failed(let error) = outcome { return error }
        return nil
    }

    /// The decoded body of a 2xx response.
    public var body: [UInt8]? {
        if case .fetched(let body) = outcome { return body }
        return nil
    }

    /// Whether the outcome was a 304.
    public var isNotModified: Bool {
        if case .notModified = outcome { return true }
        return false
    }
}

/// The HTTP version a response came over. HTTP/2 is offered on every HTTPS connection (through ALPN)
/// and used when the server accepts it; plain HTTP stays HTTP/1.1.
public enum HTTPVersion: String, Sendable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
    case http2 = "HTTP/2"
    case http3 = "HTTP/3"
}

/// The response headers a feed poller acts on, already parsed.
public struct ResponseHeaders: Sendable, Equatable {
    /// `ETag`, exactly as sent.
    public var etag: String?
    /// `Last-Modified`, exactly as sent.
    public var lastModified: String?
    /// The media type of `Content-Type`, lowercased and without parameters (`application/rss+xml`).
    public var contentType: String?
    /// The `charset` parameter of `Content-Type`, lowercased and unquoted (`windows-1251`).
    public var charset: String?
    /// `Cache-Control: max-age`, in seconds.
    public var maxAge: Int?
    /// `Expires`, when it is a valid HTTP date.
    public var expires: Date?
    /// `Retry-After` resolved to a point in time: the seconds form is added to the time the response arrived.
    public var retryAfter: Date?
    /// `Location`, as sent (absolute or relative).
    public var location: String?

    public init(
        etag: String? = nil, lastModified: String? = nil, contentType: String? = nil, charset: String? = nil,
        maxAge: Int? = nil, expires: Date? = nil, retryAfter: Date? = nil, location: String? = nil
    ) {
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.charset = charset
        self.maxAge = maxAge
        self.expires = expires
        self.retryAfter = retryAfter
        self.location = location
    }
}
