import FeedwatchConfig
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import Foundation

/// What fetching and parsing one feed came to, before anything is recorded.
enum FeedLoad: Sendable {
    /// A document was read and parsed.
    case parsed(FeedDocument, response: Response)
    /// Nothing changed: the server answered 304 to the validators we sent, or the document is
    /// the very one processed last time (same body, or a local file not touched since).
    case notModified(response: Response)
    /// The feed could not be read or parsed.
    case failed(FeedFailure, response: Response)
    /// The transfer was cut short by shutdown; it says nothing about the feed.
    case cancelled

    /// The HTTP side of a load; all `nil` for a local file.
    struct Response: Sendable {
        var status: Int?
        var validators: HTTPValidators?
        /// Where a permanent redirect said the feed now lives.
        var permanentRedirect: String?
        /// When the server asked us to come back (`Retry-After`), if it did.
        var retryAfter: Date?
        /// How long the server said the response stays fresh (`Cache-Control: max-age`), in seconds.
        var maxAge: Int?
        /// The `Expires` header.
        var expires: Date?
        var elapsed: Duration
        /// Identifies the document's bytes within this process (a hash of the body, or of a
        /// local file's identity and modification time), to skip processing it again unchanged.
        var fingerprint: Int?

        static func local(_ fingerprint: Int?) -> Response { Response(elapsed: .zero, fingerprint: fingerprint) }
    }

    /// What the server said; `nil` for a cancelled load, which got no answer worth keeping.
    var response: Response? {
        switch self {
        case .parsed(_, let response), .notModified(let response), .failed(_, let response): return response
        case .cancelled: return nil
        }
    }
}

/// Why a feed failed, and at which stage, as sfeed_update reports `FAIL (FETCH)`.
struct FeedFailure: Sendable, Equatable {
    enum Stage: String, Sendable {
        case fetch, read, parse, record
    }

    var stage: Stage
    /// A short, bounded word for a metric label (`timeout`, `not-a-feed`…).
    var label: String
    /// A sentence a person understands, shown by `status` and logged.
    var message: String
}

/// The parts of the daemon that read feeds; free of the daemon's state so loads run in parallel.
struct FeedLoader: Sendable {
    let fetcher: Fetcher
    let parser: FeedParser
    let allowsPrivateRedirects: Bool

    /// Fetches (or reads) and parses `feed`.
    /// - Parameters:
    ///   - location: where to fetch: the permanent-redirect target when one was recorded, else the URL.
    ///   - validators: what to send as `If-None-Match` / `If-Modified-Since`; `nil` forces a full fetch.
    ///   - processed: the fingerprint of the document processed last time, if any: the same document
    ///     again is `.notModified` without parsing, which is most polls of most feeds.
    func load(_ feed: Configuration.Feed, from location: String, validators: HTTPValidators?, processed: Int?)
        async -> FeedLoad
    {
        if let path = feed.filePath {
            return readLocal(path, url: feed.url, processed: processed)
        }
        let request = FetchRequest(
            url: location, validators: validators ?? HTTPValidators(),
            headers: feed.headers.map { HTTPField(name: $0.name, value: $0.value.revealed) },
            credentials: feed.credentials.map {
                BasicCredentials(username: $0.username, password: $0.password.revealed)
            },
            allowsRedirectsToPrivateAddresses: allowsPrivateRedirects)
        let result = await fetcher.fetch(request)
        let response = FeedLoad.Response(
            status: result.status, validators: result.validators, permanentRedirect: result.permanentRedirect,
            retryAfter: result.headers.retryAfter, maxAge: result.headers.maxAge, expires: result.headers.expires,
            elapsed: result.elapsed,
            fingerprint: result.body.map(FeedLoader.fingerprint(of:)))
        if let processed, response.fingerprint == processed {
            return .notModified(response: response)
        }
        switch result.outcome {
        case .notModified:
            return .notModified(response: response)
        case .failed(let error) where error == .cancelled:
            return .cancelled
        case .failed(let error):
            var message = error.description
            // An error status already names itself; other failures after a response add the status.
            if let status = result.status, error != .httpStatus { message += " (HTTP \(status))" }
            return .failed(FeedFailure(stage: .fetch, label: error.label, message: message), response: response)
        case .fetched(let body):
            let context = FeedSourceContext(
                baseURL: result.effectiveURL, httpCharset: result.headers.charset,
                contentType: result.headers.contentType)
            do {
                return .parsed(try parser.parse(body, context: context), response: response)
            } catch {
                return .failed(
                    FeedFailure(stage: .parse, label: error.kind, message: error.description), response: response)
            }
        }
    }

    /// Local feeds (a path or `file://`) are read directly, not through libcurl.
    private func readLocal(_ path: String, url: String, processed: Int?) -> FeedLoad {
        let fingerprint = FeedLoader.fingerprint(ofFileAt: path)
        if let processed, fingerprint == processed {
            return .notModified(response: .local(fingerprint))
        }
        var items: [FeedItem] = []
        do {
            var document = try parser.parse(contentsOfFile: path, context: FeedSourceContext(baseURL: url)) {
                items.append($0)
            }
            document.items = items
            return .parsed(document, response: .local(fingerprint))
        } catch {
            let stage: FeedFailure.Stage = error.kind == "unreadable-input" ? .read : .parse
            return .failed(
                FeedFailure(stage: stage, label: error.kind, message: error.description), response: .local(nil))
        }
    }

    static func fingerprint(of body: [UInt8]) -> Int {
        var hasher = Hasher()
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    /// A local file is taken as unchanged while it is the same file (device, inode) with the same
    /// size and modification time; publishers replace feeds by rename or rewrite them, and both show.
    static func fingerprint(ofFileAt path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        var hasher = Hasher()
        hasher.combine(status.st_dev)
        hasher.combine(status.st_ino)
        hasher.combine(status.st_size)
        hasher.combine(status.st_mtim.tv_sec)
        hasher.combine(status.st_mtim.tv_nsec)
        return hasher.finalize()
    }
}
