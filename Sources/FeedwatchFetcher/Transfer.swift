internal import CCurl
import Foundation
import Glibc
import Synchronization

/// One fetch in flight: the easy handle, its buffers and the redirect bookkeeping across hops.
///
/// `@unchecked Sendable`: the submitting task creates it and hands it over once, through the loop's
/// mutex-guarded inbox; from then on only the ``TransferLoop`` thread touches it, apart from
/// ``cancellation``, which is atomic.
final class Transfer: @unchecked Sendable {
    /// What a finished hop leads to.
    enum HopEnd {
        case finished(FetchResult)
        case redirect
    }

    let request: FetchRequest
    let cancellation: CancellationFlag
    private var continuation: CheckedContinuation<FetchResult, Never>?
    private let settings: Fetcher.Configuration
    private let easy: CurlEasy
    private let requestOrigin: URLOrigin
    private var headerList: CurlStringList?

    /// The URL of the current hop and where it goes.
    private(set) var url: String
    private(set) var origin: URLOrigin
    private var visited: Set<String>
    private var redirects = 0
    private var permanentRedirect: String?
    private var onlyPermanentRedirectsSoFar = true
    private var startedAt: ContinuousClock.Instant?
    private var hopStartedAt: ContinuousClock.Instant?
    private var hopBudget: Duration = .zero

    // Per-hop state written from libcurl callbacks (on this same thread).
    private var body: [UInt8] = []
    private var bodyLimitHit = false
    /// The scope of the address the previous hop connected to; `nil` before the first connection.
    private var previousScope: AddressScope?
    private var refusedAddress: (address: String, scope: AddressScope)?

    /// Prepares a fetch; throws when the request cannot even be attempted (bad URL, bad header).
    init(
        request: FetchRequest, settings: Fetcher.Configuration, cancellation: CancellationFlag,
        continuation: CheckedContinuation<FetchResult, Never>
    ) throws(FetchError) {
        self.request = request
        self.settings = settings
        self.cancellation = cancellation
        self.continuation = continuation
        guard let origin = URLOrigin(request.url), origin.isHTTP else {
            throw FetchError.badURL.with(detail: "\(request.url) is not a valid http or https URL")
        }
        if let bad = request.headers.first(where: { !$0.isWellFormed }) {
            throw FetchError.invalidRequest.with(detail: "the header \"\(bad.name)\" is not a valid HTTP header")
        }
        self.requestOrigin = origin
        self.origin = origin
        self.url = request.url
        self.visited = [request.url]
        self.easy = try CurlEasy()
        try configureOnce()
    }

    var handle: UnsafeMutableRawPointer { easy.handle }

    /// Options that stay the same for every hop.
    private func configureOnce() throws(FetchError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_NOSIGNAL, 1)
        // Redirects are followed here, hop by hop, so every hop's scheme and address can be checked.
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // "" means every encoding this libcurl was built with (gzip, deflate, br, zstd here).
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")
        try easy.set(CURLOPT_USERAGENT, settings.userAgent)
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundle = settings.caBundlePath { try easy.set(CURLOPT_CAINFO, caBundle) }
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(settings.lowSpeedTime.components.seconds)))
        try easy.set(CURLOPT_WRITEFUNCTION, dataCallback: receiveBodyCallback)
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        try easy.setPrerequestCallback(checkAddressCallback)
        try easy.set(CURLOPT_PREREQDATA, pointer: context)
    }

    /// Options for the current hop; called right before the handle joins the multi handle.
    ///
    /// - Returns: `nil` when the hop may start, or the result to finish with (deadline already passed).
    func prepareHop(now: ContinuousClock.Instant) -> FetchResult? {
        let start = startedAt ?? now
        startedAt = start
        hopStartedAt = now
        hopBudget = settings.totalTimeout - (now - start)
        guard hopBudget > .milliseconds(1) else {
            return failure(
                FetchError.timeout.with(detail: "\(url): no complete response within \(settings.totalTimeout)"))
        }
        body = []
        bodyLimitHit = false
        refusedAddress = nil
        easy.clearErrorMessage()
        let sameOrigin = origin == requestOrigin
        var lines = ["Accept: \(Self.acceptHeader)"]
        if let etag = request.validators.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = request.validators.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        if sameOrigin { lines += request.headers.map { "\($0.name): \($0.value)" } }
        let list = CurlStringList(lines)
        headerList = list
        do {
            try easy.set(CURLOPT_URL, url)
            try easy.set(CURLOPT_HTTPHEADER, list: list)
            try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(hopBudget))
            try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(min(settings.connectTimeout, hopBudget)))
            let credentials = sameOrigin ? request.credentials : nil
            // CURLOPT_HTTPAUTH defaults to basic; with no user name libcurl sends no Authorization at all.
            try easy.set(CURLOPT_USERNAME, credentials?.username)
            try easy.set(CURLOPT_PASSWORD, credentials?.password)
        } catch {
            return failure(error)
        }
        return nil
    }

    /// Turns a finished hop into a result, or into the next hop after a redirect.
    func conclude(_ code: CURLcode, now: Date) -> HopEnd {
        let status = easy.info(CURLINFO_RESPONSE_CODE)
        guard code == CURLE_OK else { return .finished(failure(error(for: code, status: status), status: status)) }
        let headers = ResponseHeaders(handle: easy.handle, now: now)
        switch status {
        case 304:
            let refreshed = HTTPValidators(
                etag: headers.etag ?? request.validators.etag,
                lastModified: headers.lastModified ?? request.validators.lastModified
            )
            return .finished(result(.notModified, status: status, headers: headers, validators: refreshed))
        case 200..<300:
            let validators = HTTPValidators(etag: headers.etag, lastModified: headers.lastModified)
            return .finished(result(.fetched(body: body), status: status, headers: headers, validators: validators))
        case 301, 302, 303, 307, 308:
            if let target = easy.info(string: CURLINFO_REDIRECT_URL) ?? headers.location {
                if let refusal = follow(to: target, permanent: status == 301 || status == 308) {
                    return .finished(failure(refusal, status: status, headers: headers))
                }
                return .redirect
            }
            fallthrough
        default:
            let error = FetchError.httpStatus.with(detail: "\(url) answered HTTP \(status)")
            return .finished(failure(error, status: status, headers: headers))
        }
    }

    /// Moves to the redirect target, or says why not.
    private func follow(to target: String, permanent: Bool) -> FetchError? {
        let scheme = target.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https", let next = URLOrigin(target) else {
            return FetchError.redirectRefused.with(
                detail: "\(url) redirects to \(target); only http and https redirects are followed")
        }
        guard !visited.contains(target) else {
            return FetchError.redirectLoop.with(detail: "\(url) redirects back to \(target), a loop")
        }
        guard redirects < settings.maxRedirects else {
            return FetchError.tooManyRedirects.with(
                detail: "\(request.url) redirects more than \(settings.maxRedirects) times")
        }
        redirects += 1
        visited.insert(target)
        if permanent && onlyPermanentRedirectsSoFar {
            permanentRedirect = target
        } else {
            onlyPermanentRedirectsSoFar = false
        }
        url = target
        origin = next
        return nil
    }

    /// Delivers the result to the waiting task; later calls do nothing.
    func resume(with result: FetchResult) {
        continuation?.resume(returning: result)
        continuation = nil
    }

    /// A failure for this transfer as it stands.
    func failure(_ error: FetchError, status: Int? = nil, headers: ResponseHeaders = ResponseHeaders()) -> FetchResult {
        result(.failed(error), status: status, headers: headers, validators: request.validators)
    }

    private func result(
        _ outcome: FetchResult.Outcome, status: Int?, headers: ResponseHeaders, validators: HTTPValidators
    ) -> FetchResult {
        FetchResult(
            outcome: outcome, status: status == 0 ? nil : status, headers: headers, validators: validators,
            effectiveURL: url, permanentRedirect: permanentRedirect, redirects: redirects,
            httpVersion: status == 0 ? nil : negotiatedVersion,
            elapsed: startedAt.map { ContinuousClock.now - $0 } ?? .zero
        )
    }

    /// `CURLINFO_HTTP_VERSION` of the last response, as a value.
    private var negotiatedVersion: HTTPVersion? {
        switch easy.info(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: .http1_0
        case CURL_HTTP_VERSION_1_1: .http1_1
        case CURL_HTTP_VERSION_2_0: .http2
        case CURL_HTTP_VERSION_3: .http3
        default: nil
        }
    }

    // MARK: libcurl callbacks

    /// Appends decoded body bytes; returning less than offered makes libcurl abort with `CURLE_WRITE_ERROR`.
    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= settings.maxBodyBytes else {
            bodyLimitHit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Refuses a hop reached by redirect that leads from a public address into a non-public one.
    fileprivate func admit(address: String) -> Bool {
        let scope = AddressScope(numericAddress: address)
        defer { previousScope = scope }
        let permitted = AddressScope.permits(
            scope, after: previousScope, isRedirect: redirects > 0,
            allowsPrivate: request.allowsRedirectsToPrivateAddresses)
        if !permitted { refusedAddress = (address, scope) }
        return permitted
    }

    // MARK: Errors

    private func error(for code: CURLcode, status: Int) -> FetchError {
        let curlSays = easy.errorMessage ?? String(cString: curl_easy_strerror(code))
        let host = origin.host
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return FetchError.dns.with(detail: "DNS lookup failed: could not resolve host \(host)")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return FetchError.dns.with(detail: "DNS lookup failed for the proxy: \(curlSays)")
        case CURLE_COULDNT_CONNECT where easy.info(CURLINFO_OS_ERRNO) == Int(ECONNREFUSED):
            return FetchError.refused.with(detail: "connection refused by \(host) port \(origin.port)")
        case CURLE_COULDNT_CONNECT:
            return FetchError.connect.with(detail: "could not connect to \(host) port \(origin.port): \(curlSays)")
        case CURLE_OPERATION_TIMEDOUT:
            return timeoutError(status: status)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            return FetchError.tls.with(detail: "TLS with \(host) failed: \(curlSays)")
        case CURLE_WRITE_ERROR where bodyLimitHit:
            return FetchError.tooLarge.with(
                detail: "\(url): the body is larger than the \(settings.maxBodyBytes)-byte limit (decoded)")
        case CURLE_ABORTED_BY_CALLBACK where refusedAddress != nil:
            let (address, scope) = refusedAddress ?? ("", .privateNetwork)
            return FetchError.redirectRefused.with(
                detail: "redirect from a public address to \(url) at \(scope.name) address \(address) refused")
        case CURLE_BAD_CONTENT_ENCODING:
            return FetchError.decoding.with(detail: "\(url): \(curlSays)")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return FetchError.badURL.with(detail: "\(url): \(curlSays)")
        default:
            return FetchError.network.with(detail: "\(url): \(curlSays)")
        }
    }

    /// libcurl reports the total timeout, the connect timeout and the low-speed cutoff with one code;
    /// what had arrived by then tells them apart.
    private func timeoutError(status: Int) -> FetchError {
        if easy.info(offset: CURLINFO_CONNECT_TIME_T) == 0 {
            return FetchError.timeout.with(
                detail: "could not connect to \(origin.host) port \(origin.port) within \(settings.connectTimeout)")
        }
        if status == 0 {
            return FetchError.timeout.with(detail: "\(url) accepted the connection but sent no response")
        }
        let hopElapsed = hopStartedAt.map { ContinuousClock.now - $0 } ?? .zero
        if hopElapsed + .milliseconds(250) < hopBudget {
            return FetchError.tooSlow.with(
                detail: "\(url) sent under \(settings.lowSpeedLimit) bytes/s for \(settings.lowSpeedTime)")
        }
        return FetchError.timeout.with(detail: "\(url): no complete response within \(settings.totalTimeout)")
    }

    /// Feed types first, generic XML next, anything last: some servers pick a representation by `Accept`.
    private static let acceptHeader =
        "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
        + "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Set from the caller's task when it is cancelled; read by the loop thread.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

private let receiveBodyCallback: cfw_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let checkAddressCallback: cfw_prereq_callback = { context, primaryIP, _, _, _ in
    guard let context else { return 1 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.admit(address: String(cString: primaryIP)) ? 0 : 1  // CURL_PREREQFUNC_OK / _ABORT
}
