/// Why an alert could not be appended to (or read from) the alert log.
///
/// `description` is one sentence naming the file and the system's reason, for the log line that
/// reports it; `label` is a short, bounded word for a metric label.
public struct AlertLogError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Stage: Sendable, Equatable {
        case open, repair, write, sync, read
        case shortWrite(written: Int, of: Int)
    }

    let stage: Stage
    /// The alert log's path.
    public let path: String
    let cause: SystemError?

    init(_ stage: Stage, path: String, _ cause: SystemError? = nil) {
        self.stage = stage
        self.path = path
        self.cause = cause
    }

    /// The `errno` of the failed call (`ENOSPC`, `EACCES`…), or `nil` for a short write.
    public var errno: Int32? { cause?.code }

    public var description: String {
        let reason = cause.map { ": \($0)" } ?? ""
        switch stage {
        case .open: return "cannot open the alert log \(path)\(reason)"
        case .repair: return "cannot repair the torn last line of the alert log \(path)\(reason)"
        case .write: return "cannot append to the alert log \(path)\(reason)"
        case .sync: return "cannot flush the alert log \(path) to disk\(reason)"
        case .read: return "cannot read the alert log \(path)\(reason)"
        case .shortWrite(let written, let total):
            return "the alert log \(path) took only \(written) of \(total) bytes (disk full or file size limit)"
        }
    }

    /// `open`, `repair`, `write`, `sync` or `read`.
    public var label: String {
        switch stage {
        case .open: return "open"
        case .repair: return "repair"
        case .write, .shortWrite: return "write"
        case .sync: return "sync"
        case .read: return "read"
        }
    }
}
