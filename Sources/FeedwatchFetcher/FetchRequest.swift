/// One HTTP(S) GET to make on behalf of a feed.
///
/// Everything a poll needs travels in the request, so the fetcher itself keeps no per-feed state:
/// the daemon stores the validators and the permanent-redirect target from the previous result and
/// hands them back here.
public struct FetchRequest: Sendable {
    /// The `http://` or `https://` URL to fetch, as configured (or as moved to by a permanent redirect).
    public var url: String
    /// The validators from the previous successful poll, echoed byte for byte.
    public var validators: HTTPValidators
    /// Extra request headers configured for this feed. They go only to the feed's own origin: a redirect
    /// to another host does not receive them.
    public var headers: [HTTPField]
    /// HTTP basic authentication; sent only to the feed's own origin, never after a cross-origin redirect.
    public var credentials: BasicCredentials?
    /// Whether a redirect may lead from a public address to a loopback, link-local or private one.
    ///
    /// Off by default: a public server must not be able to point feedwatch at the machine's own services
    /// or its LAN. A feed *listed* at a private address is always fetched; this only governs redirects.
    public var allowsRedirectsToPrivateAddresses: Bool

    public init(
        url: String, validators: HTTPValidators = HTTPValidators(), headers: [HTTPField] = [],
        credentials: BasicCredentials? = nil, allowsRedirectsToPrivateAddresses: Bool = false
    ) {
        self.url = url
        self.validators = validators
        self.headers = headers
        self.credentials = credentials
        self.allowsRedirectsToPrivateAddresses = allowsRedirectsToPrivateAddresses
    }
}

/// The cache validators of a response, kept exactly as the server wrote them.
///
/// They are sent back as `If-None-Match` and `If-Modified-Since` verbatim: re-formatting a date (as
/// libcurl's `CURLOPT_TIMECONDITION` does) defeats servers that compare the strings.
public struct HTTPValidators: Sendable, Hashable {
    /// The `ETag` header, quotes and weak prefix included.
    public var etag: String?
    /// The `Last-Modified` header.
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// One request header line.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// A header name must be an RFC 9110 token and a value must not contain line breaks or NULs, or the
    /// header could smuggle a second header or request.
    var isWellFormed: Bool {
        let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)
        let nameIsToken =
            !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || tokenPunctuation.contains(byte)
            }
        return nameIsToken && !value.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }
    }
}

/// A user name and password for HTTP basic authentication.
///
/// The password arrives as a value (the config layer reads it from a file or an environment variable)
/// and is never printed: `description`, `debugDescription` and the reflection `dump` uses all redact it,
/// so a stray log line or a printed request cannot leak it.
public struct BasicCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "BasicCredentials(username: \(username), password: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["username": username, "password": "<redacted>"]) }
}
