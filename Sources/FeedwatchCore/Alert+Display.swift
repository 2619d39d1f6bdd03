#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension Alert {
    /// One line for a person: local time, rule, title, feed and link, with feed-supplied text neutralized.
    ///
    ///     2025-10-12 14:30  cis-meetings  Putin lands in Dushanbe for two summits  (Example Wire)  https://…
    public func displayLine(style: TerminalStyle) -> String {
        let title = TerminalText.neutralized(item.title ?? item.summary.map { String($0.prefix(120)) } ?? "(untitled)")
        var parts = [
            style.paint(Alert.localTime(detectedAt), .dim),
            style.paint(TerminalText.neutralized(rule), .bold, .cyan),
            title,
        ]
        let feedName = TerminalText.neutralized(feed.title ?? feed.url)
        parts.append(style.paint("(\(feedName))", .dim))
        if let link = item.link {
            parts.append(style.paint(TerminalText.neutralized(link), .blue))
        }
        return parts.joined(separator: "  ")
    }

    /// `YYYY-MM-DD HH:MM` in the machine's time zone (`TZ` respected).
    static func localTime(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min))
    }
}
