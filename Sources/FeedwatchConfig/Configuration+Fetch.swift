import FeedwatchCore

extension Configuration {
    /// `[fetch]`: limits and manners for downloading feeds, shared by every feed.
    public struct Fetch: Sendable, Equatable {
        /// `concurrency`: transfers in flight at once, over all hosts.
        public var concurrency: Int
        /// `per_host_concurrency`: transfers in flight at once to one host, so a site with many feeds is not hammered.
        public var perHostConcurrency: Int
        /// `connect_timeout`: the longest to wait for a connection (TCP and TLS).
        public var connectTimeout: Duration
        /// `timeout`: the longest one whole transfer may take.
        public var timeout: Duration
        /// `low_speed_limit` (bytes per second) and `low_speed_time`: a transfer slower than the limit
        /// for that long is dropped, so a server dripping a byte a second cannot hold a slot.
        public var lowSpeedLimit: Int
        public var lowSpeedTime: Duration
        /// `max_body_size`: the most decoded bytes accepted from one response; a gzip bomb stops here.
        public var maxBodySize: Int
        /// `max_redirects`: how many redirects one fetch follows.
        public var maxRedirects: Int
        /// `ca_bundle`: a PEM file of extra trusted certificate authorities, absolute; nil uses the system's.
        public var caBundle: String?
        /// `allow_private_redirects`: whether a redirect may lead from a public address into loopback,
        /// link-local or private ranges. A feed listed with such an address directly is always allowed.
        public var allowPrivateRedirects: Bool
        /// `user_agent`: the `User-Agent` header.
        public var userAgent: String

        public init(
            concurrency: Int = 16,
            perHostConcurrency: Int = 4,
            connectTimeout: Duration = .seconds(10),
            timeout: Duration = .seconds(60),
            lowSpeedLimit: Int = 64,
            lowSpeedTime: Duration = .seconds(20),
            maxBodySize: Int = 20 << 20,
            maxRedirects: Int = 5,
            caBundle: String? = nil,
            allowPrivateRedirects: Bool = false,
            userAgent: String = FeedwatchVersion.userAgent
        ) {
            self.concurrency = concurrency
            self.perHostConcurrency = perHostConcurrency
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.lowSpeedLimit = lowSpeedLimit
            self.lowSpeedTime = lowSpeedTime
            self.maxBodySize = maxBodySize
            self.maxRedirects = maxRedirects
            self.caBundle = caBundle
            self.allowPrivateRedirects = allowPrivateRedirects
            self.userAgent = userAgent
        }
    }
}
