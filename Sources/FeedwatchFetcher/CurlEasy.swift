internal import CCurl

/// The one owner of a libcurl easy handle; frees it in `deinit`.
///
/// Each setter is a typed front for the variadic `curl_easy_setopt` (see `Sources/CCurl/shim.h`), and
/// every status goes through ``check(_:_:)`` so a rejected option is an error, never ignored.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER`: libcurl writes its message for a failure here, until the handle is gone.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init() throws(FetchError) {
        guard let handle = curl_easy_init() else {
            errorBuffer.deallocate()
            throw FetchError.network.with(detail: "libcurl could not create a transfer handle")
        }
        self.handle = handle
        errorBuffer[0] = 0
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// The buffer goes only after the handle: libcurl may still report into it while it cleans up.
    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Empties the error message before a transfer starts.
    func clearErrorMessage() { errorBuffer[0] = 0 }

    /// libcurl's message for the last failure, if it wrote one.
    var errorMessage: String? { errorBuffer[0] == 0 ? nil : String(cString: errorBuffer) }

    func set(_ option: CURLoption, _ value: Int) throws(FetchError) {
        try check(cfw_easy_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String?) throws(FetchError) {
        // libcurl copies string options (since 7.17), so the Swift string need not outlive the call.
        try check(cfw_easy_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(FetchError) {
        try check(cfw_easy_setopt_pointer(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, list: CurlStringList) throws(FetchError) {
        try check(cfw_easy_setopt_slist(handle, option, list.head), option)
    }

    func set(_ option: CURLoption, dataCallback: cfw_data_callback) throws(FetchError) {
        try check(cfw_easy_setopt_data_callback(handle, option, dataCallback), option)
    }

    func setPrerequestCallback(_ callback: cfw_prereq_callback) throws(FetchError) {
        try check(cfw_easy_setopt_prereq_callback(handle, callback), CURLOPT_PREREQFUNCTION)
    }

    /// A numeric `CURLINFO_*` value; 0 when libcurl has none.
    func info(_ item: CURLINFO) -> Int {
        var value = 0
        return cfw_easy_getinfo_long(handle, item, &value) == CURLE_OK ? value : 0
    }

    /// A `curl_off_t` `CURLINFO_*_T` value; 0 when libcurl has none.
    func info(offset item: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return cfw_easy_getinfo_off(handle, item, &value) == CURLE_OK ? Int64(value) : 0
    }

    /// A string `CURLINFO_*` value, copied out of libcurl's memory.
    func info(string item: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard cfw_easy_getinfo_string(handle, item, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// Maps a `curl_easy_setopt` status to a thrown error naming the option.
    private func check(_ code: CURLcode, _ option: CURLoption) throws(FetchError) {
        guard code != CURLE_OK else { return }
        let reason = String(cString: curl_easy_strerror(code))
        throw FetchError.invalidRequest.with(detail: "libcurl rejected option \(option.rawValue): \(reason)")
    }
}

/// The one owner of a `curl_slist` of request headers; libcurl reads it during the transfer, so it must
/// live as long as the transfer that uses it.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines {
            // curl_slist_append copies the string; on allocation failure it returns NULL and keeps the list.
            if let appended = curl_slist_append(head, line) { head = appended }
        }
    }

    deinit { curl_slist_free_all(head) }
}

/// The parts of an URL that decide where a request goes, parsed by libcurl's own URL parser so they agree
/// with what libcurl will connect to.
struct URLOrigin: Equatable {
    let scheme: String
    let host: String
    let port: Int

    /// `nil` when `url` does not parse.
    init?(_ url: String) {
        guard let parsed = curl_url() else { return nil }
        defer { curl_url_cleanup(parsed) }
        guard curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(parsed, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME), let host = part(CURLUPART_HOST),
            let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap({ Int($0) })
        else { return nil }
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
    }

    /// Whether libcurl may go here at all: only plain HTTP and HTTPS are fetched.
    var isHTTP: Bool { scheme == "http" || scheme == "https" }

    /// The key the per-host concurrency cap counts by.
    var hostKey: String { "\(host):\(port)" }
}
