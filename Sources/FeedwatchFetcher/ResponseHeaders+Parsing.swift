internal import CCurl
import Foundation

extension ResponseHeaders {
    /// Reads the headers of the last response `handle` received.
    ///
    /// - Parameters:
    ///   - handle: a finished easy handle.
    ///   - now: when the response arrived; the seconds form of `Retry-After` counts from it.
    init(handle: UnsafeMutableRawPointer, now: Date) {
        func header(_ name: String) -> String? {
            var found: UnsafeMutablePointer<curl_header>?
            // Request -1: the last request of the transfer, i.e. this hop's final response.
            guard curl_easy_header(handle, name, 0, UInt32(CURLH_HEADER), -1, &found) == CURLHE_OK,
                let value = found?.pointee.value
            else { return nil }
            return String(cString: value)
        }
        let (mediaType, charset) = Self.splitContentType(header("Content-Type"))
        self.init(
            etag: header("ETag"),
            lastModified: header("Last-Modified"),
            contentType: mediaType,
            charset: charset,
            maxAge: header("Cache-Control").flatMap(Self.maxAge(cacheControl:)),
            expires: header("Expires").flatMap(Self.httpDate),
            retryAfter: header("Retry-After").flatMap { Self.retryAfter($0, now: now) },
            location: header("Location")
        )
    }

    /// Splits `text/xml; charset="Windows-1251"` into `text/xml` and `windows-1251`.
    static func splitContentType(_ value: String?) -> (mediaType: String?, charset: String?) {
        guard let value else { return (nil, nil) }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = parts.first.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        var charset: String?
        for parameter in parts.dropFirst() {
            guard let equals = parameter.firstIndex(of: "=") else { continue }
            let name = parameter[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard name == "charset" else { continue }
            let raw = parameter[parameter.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let unquoted = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            charset = unquoted.isEmpty ? nil : unquoted.lowercased()
        }
        return (mediaType, charset)
    }

    /// The `max-age` directive of a `Cache-Control` value; `no-store`/`no-cache` say nothing about polling.
    static func maxAge(cacheControl: String) -> Int? {
        for directive in cacheControl.split(separator: ",") {
            let pair = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "max-age" else { continue }
            return Int(pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        return nil
    }

    /// `Retry-After` in either form: delay-seconds (`120`) or an HTTP-date.
    static func retryAfter(_ value: String, now: Date) -> Date? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return now.addingTimeInterval(TimeInterval(seconds)) }
        return httpDate(trimmed)
    }

    /// An HTTP-date in any of the three forms RFC 9110 requires readers to accept, via `curl_getdate`.
    static func httpDate(_ value: String) -> Date? {
        let seconds = curl_getdate(value, nil)
        return seconds == -1 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
