/// Why a fetch produced no usable response, in words a person understands.
///
/// A struct over a private code, like `HTTPClientError` in async-http-client: new reasons can be added
/// without breaking anyone's `switch`. Two errors are equal when their codes are, so tests and callers
/// compare with the static members (`result.error == .timeout`), while ``detail`` carries the specifics.
public struct FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case dns
        case refused
        case connect
        case tls
        case timeout
        case tooSlow = "too_slow"
        case tooLarge = "too_large"
        case httpStatus = "http_status"
        case redirectRefused = "redirect_refused"
        case redirectLoop = "redirect_loop"
        case tooManyRedirects = "too_many_redirects"
        case badURL = "bad_url"
        case invalidRequest = "invalid_request"
        case decoding
        case network
        case cancelled
    }

    private let code: Code
    /// One sentence naming what went wrong and where, e.g. "connection refused by 127.0.0.1 port 9".
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A short, stable name for the kind of failure, bounded in number: fit for a metric label.
    public var label: String { code.rawValue }

    public var description: String { detail }

    public static func == (lhs: FetchError, rhs: FetchError) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The host name could not be resolved.
    public static let dns = FetchError(.dns, "the host name could not be resolved")
    /// The server's address actively refused the connection.
    public static let refused = FetchError(.refused, "the connection was refused")
    /// The connection could not be made for another reason (unreachable network, reset…).
    public static let connect = FetchError(.connect, "the connection could not be made")
    /// The TLS handshake or the certificate check failed.
    public static let tls = FetchError(.tls, "the TLS handshake or certificate check failed")
    /// No complete response within the connect or total timeout.
    public static let timeout = FetchError(.timeout, "the server did not answer in time")
    /// The response arrived slower than the low-speed limit.
    public static let tooSlow = FetchError(.tooSlow, "the response arrived too slowly")
    /// The decoded body exceeded the size limit.
    public static let tooLarge = FetchError(.tooLarge, "the response body is larger than the limit")
    /// The server answered with a status that is neither success nor not-modified.
    public static let httpStatus = FetchError(.httpStatus, "the server answered with an error status")
    /// A redirect pointed to a scheme other than http/https or from a public to a private address.
    public static let redirectRefused = FetchError(.redirectRefused, "a redirect was refused")
    /// A redirect pointed back to a URL already visited.
    public static let redirectLoop = FetchError(.redirectLoop, "the redirects form a loop")
    /// More redirects than the limit.
    public static let tooManyRedirects = FetchError(.tooManyRedirects, "too many redirects")
    /// The URL is malformed or not http/https.
    public static let badURL = FetchError(.badURL, "the URL is not a valid http or https URL")
    /// A configured header is malformed.
    public static let invalidRequest = FetchError(.invalidRequest, "the request is malformed")
    /// The body's content encoding could not be decoded.
    public static let decoding = FetchError(.decoding, "the compressed body could not be decoded")
    /// The connection broke or the server sent something that is not HTTP.
    public static let network = FetchError(.network, "the transfer failed")
    /// The caller's task was cancelled or the fetcher shut down.
    public static let cancelled = FetchError(.cancelled, "the fetch was cancelled")

    /// The same kind of failure with a specific sentence.
    func with(detail: String) -> FetchError { FetchError(code, detail) }
}
