import Foundation
import Glibc

/// The daemon's counters and gauges, written in the Prometheus text format for node_exporter's
/// textfile collector, so monitoring needs no open port.
///
/// Counters count since the daemon started (Prometheus handles resets); gauges describe now.
public struct Metrics: Sendable {
    /// Fetches by outcome: `ok`, `not_modified`, or the failure's label (`timeout`, `dns`, `parse`…).
    public var fetchesByOutcome: [String: Int] = [:]
    /// Alerts written, by rule.
    public var alertsByRule: [String: Int] = [:]
    /// Alert log writes that failed and will be retried.
    public var alertWriteFailures = 0
    /// Sum and count of fetch durations, in seconds (a Prometheus summary without quantiles).
    public var fetchSecondsSum = 0.0
    public var fetchSecondsCount = 0
    /// Configured feeds by health: `ok`, `failing`, `pending` (not polled yet).
    public var feedsByState: [String: Int] = [:]
    /// When each feed last polled successfully, as Unix seconds, by feed URL.
    public var lastSuccessByFeed: [String: Double] = [:]

    public init() {}

    /// The exposition text.
    public var text: String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                out += "\(name)\(sample.labels) \(sample.value)\n"
            }
        }
        func labelled(_ key: String, _ values: [String: Int]) -> [(labels: String, value: String)] {
            values.keys.sorted().map { ("{\(key)=\"\(Metrics.escape($0))\"}", String(values[$0] ?? 0)) }
        }
        family(
            "feedwatch_fetches_total", "counter", "Feed fetches since start, by outcome.",
            labelled("outcome", fetchesByOutcome))
        family(
            "feedwatch_alerts_total", "counter", "Alerts written since start, by rule.", labelled("rule", alertsByRule))
        family(
            "feedwatch_alert_write_failures_total", "counter", "Alert log writes that failed and were deferred.",
            [("", String(alertWriteFailures))])
        // A summary's samples are the family name plus a suffix, written where labels would go.
        family(
            "feedwatch_fetch_duration_seconds", "summary", "Time spent fetching feeds.",
            [("_sum", String(fetchSecondsSum)), ("_count", String(fetchSecondsCount))])
        family("feedwatch_feeds", "gauge", "Configured feeds by state.", labelled("state", feedsByState))
        family(
            "feedwatch_last_success_timestamp_seconds", "gauge", "When each feed last polled successfully.",
            lastSuccessByFeed.keys.sorted().map {
                ("{feed=\"\(Metrics.escape($0))\"}", Metrics.wholeSeconds(lastSuccessByFeed[$0] ?? 0))
            })
        return out
    }

    /// Writes ``text`` to `path` through a temporary file beside it and a rename, so the collector
    /// never reads a half-written file. The temporary name starts with a dot and ends in `.tmp`,
    /// which node_exporter's textfile collector skips (it reads only `*.prom`).
    ///
    /// Not synced to disk: the file is rewritten after every poll and worth nothing after a crash,
    /// while an `fsync` (Foundation's `Data.write` does one) held `run --once` up to 12 ms on a busy disk.
    public func write(to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp")
        do {
            try Self.writeUnsynced(Array(text.utf8), to: temporary.path)
            try Self.check(rename(temporary.path, target.path))
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    private static func writeUnsynced(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try check(descriptor)
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            try check(count)
            written += count
        }
    }

    /// A negative result from a system call becomes a `POSIXError` carrying `errno`.
    private static func check(_ result: some BinaryInteger) throws {
        guard result < 0 else { return }
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }

    /// Label values escape backslash, double quote and newline.
    ///
    /// Written out rather than with Foundation's `replacingOccurrences`, which costs a search per
    /// character class per feed; the file names every feed once per poll.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A })
        else { return value }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count + 8)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A Unix time rounded to whole seconds, as `%.0f` prints it, without a format string per feed.
    static func wholeSeconds(_ seconds: Double) -> String {
        String(Int64(seconds.rounded(.toNearestOrEven)))
    }
}
