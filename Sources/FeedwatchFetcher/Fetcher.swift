import FeedwatchCore

/// Fetches feeds over HTTP(S) with libcurl's multi interface: many transfers at once on one thread of
/// its own, connections and TLS sessions reused between polls, HTTP/2 where the server offers it.
///
/// Create one per process and share it: it is `Sendable`, and its connection cache is what makes the
/// next poll of a host cheap. `fetch` suspends the calling task without blocking a thread.
///
/// ```swift
/// let fetcher = Fetcher()
/// let result = await fetcher.fetch(FetchRequest(url: "https://example.org/feed.xml"))
/// ```
public final class Fetcher: Sendable {
    /// Limits and identity; the defaults suit a daemon polling hundreds of feeds.
    public struct Configuration: Sendable {
        /// Transfers running at once, across all hosts.
        public var maxConcurrentTransfers: Int
        /// Transfers running at once against one host (name and port); further ones wait their turn.
        public var maxConcurrentTransfersPerHost: Int
        /// Longest wait for a connection (TCP and TLS).
        /// The corresponding libcurl option is `CURLOPT_CONNECTTIMEOUT_MS`.
        public var connectTimeout: Duration
        /// Longest time for the whole fetch, redirects included. The libcurl option is `CURLOPT_TIMEOUT_MS`.
        public var totalTimeout: Duration
        /// A transfer slower than `lowSpeedLimit` bytes per second for `lowSpeedTime` is dropped
        /// (`CURLOPT_LOW_SPEED_LIMIT` / `CURLOPT_LOW_SPEED_TIME`), so a dripping server cannot hold a slot.
        public var lowSpeedLimit: Int
        /// See `lowSpeedLimit`; whole seconds, at least one.
        public var lowSpeedTime: Duration
        /// Largest body accepted, counted after decompression, so a gzip bomb stops here.
        public var maxBodyBytes: Int
        /// Redirects followed before giving up.
        public var maxRedirects: Int
        /// A PEM file of CA certificates to trust instead of the system's (`CURLOPT_CAINFO`).
        /// Verification itself is always on.
        public var caBundlePath: String?
        /// The `User-Agent` sent with every request.
        public var userAgent: String

        public init(
            maxConcurrentTransfers: Int = 16, maxConcurrentTransfersPerHost: Int = 4,
            connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60),
            lowSpeedLimit: Int = 64, lowSpeedTime: Duration = .seconds(20), maxBodyBytes: Int = 20_000_000,
            maxRedirects: Int = 5, caBundlePath: String? = nil, userAgent: String = FeedwatchVersion.userAgent
        ) {
            self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
            self.maxConcurrentTransfersPerHost = max(1, maxConcurrentTransfersPerHost)
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.lowSpeedLimit = lowSpeedLimit
            self.lowSpeedTime = lowSpeedTime
            self.maxBodyBytes = maxBodyBytes
            self.maxRedirects = maxRedirects
            self.caBundlePath = caBundlePath
            self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let loop: TransferLoop

    /// Starts the transfer thread; it ends when the fetcher is released.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loop = TransferLoop(settings: configuration)
    }

    deinit { loop.stop() }

    /// Fetches one URL; every outcome, failures included, comes back as a value.
    ///
    /// Cancelling the calling task aborts the transfer and returns a `.cancelled` failure.
    public func fetch(_ request: FetchRequest) async -> FetchResult {
        let cancellation = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                do throws(FetchError) {
                    let transfer = try Transfer(
                        request: request, settings: configuration, cancellation: cancellation,
                        continuation: continuation)
                    loop.submit(transfer)
                } catch {
                    continuation.resume(returning: FetchResult(failedBeforeStart: request, error: error))
                }
            }
        } onCancel: {
            cancellation.cancel()
            loop.noteCancellation()
        }
    }

    /// Fetches many URLs and hands each result to `handle` (parse it, record it) as soon as it arrives.
    ///
    /// At most twice `maxConcurrentTransfers` requests are between "submitted" and "handled" at any moment:
    /// enough that transfers continue while earlier bodies are parsed, few enough that memory follows the
    /// concurrency cap rather than the number of feeds. Starting one task per feed instead lets finished
    /// bodies pile up whenever parsing is slower than the network.
    ///
    /// - Parameters:
    ///   - requests: what to fetch.
    ///   - handle: called once per request with its index in `requests` and its result, possibly concurrently.
    public func fetchEach(
        _ requests: [FetchRequest], handle: @escaping @Sendable (Int, FetchResult) async -> Void
    ) async {
        let window = 2 * configuration.maxConcurrentTransfers
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func startNext() {
                guard next < requests.count else { return }
                let index = next
                next += 1
                group.addTask { await handle(index, await self.fetch(requests[index])) }
            }
            for _ in 0..<window { startNext() }
            for await _ in group { startNext() }
        }
    }

    /// Fetches many URLs at once, as the concurrency caps allow, and returns the results in request order.
    /// Every body is held until the last fetch ends: for many feeds, prefer ``fetchEach(_:handle:)``.
    public func fetchAll(_ requests: [FetchRequest]) async -> [FetchResult] {
        await withTaskGroup(of: (Int, FetchResult).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, await self.fetch(request)) }
            }
            var results = [FetchResult?](repeating: nil, count: requests.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }
}

extension FetchResult {
    /// A request that could not be attempted at all (bad URL, malformed header).
    init(failedBeforeStart request: FetchRequest, error: FetchError) {
        self.init(
            outcome: .failed(error), status: nil, headers: ResponseHeaders(), validators: request.validators,
            effectiveURL: request.url, permanentRedirect: nil, redirects: 0, httpVersion: nil, elapsed: .zero)
    }
}
