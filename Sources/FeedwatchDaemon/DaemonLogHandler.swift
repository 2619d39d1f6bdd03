import Foundation
import Logging

/// A swift-log handler for a daemon's standard error: one line per event, data as `key=value`.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog priority in angle
/// brackets, which journald strips and stores as the entry's priority (see sd-daemon(3)), and
/// carries no timestamp, since the journal adds its own. On a terminal each line starts with
/// the local time and the level instead.
public struct DaemonLogHandler: LogHandler {
    /// How lines are decorated.
    public enum Style: Sendable {
        /// `<4>message key=value`, for journald.
        case journal
        /// `2026-11-29T09:00:00+0100 warning message key=value`, for a person.
        case terminal
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let style: Style
    private let write: @Sendable (String) -> Void

    /// A handler writing to `write`; the style comes from `environment` (journal when `JOURNAL_STREAM` is set).
    public init(
        level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment,
        write: @escaping @Sendable (String) -> Void = DaemonLogHandler.writeToStandardError
    ) {
        logLevel = level
        style = environment["JOURNAL_STREAM"] == nil ? .terminal : .journal
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        var line: String
        switch style {
        case .journal:
            line = "<\(DaemonLogHandler.priority(event.level))>\(event.message)"
        case .terminal:
            line = "\(DaemonLogHandler.localTime()) \(event.level) \(event.message)"
        }
        for key in merged.keys.sorted() {
            line += " \(key)=\(DaemonLogHandler.quoted("\(merged[key] ?? "")"))"
        }
        write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
    }

    /// The syslog priority journald reads from the prefix (0 emergency … 7 debug).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Values with spaces, quotes or `=` are quoted, so `key=value` pairs stay splittable.
    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    private static func localTime() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes each line with one `write(2)`, so concurrent lines do not interleave.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}
