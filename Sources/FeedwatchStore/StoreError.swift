/// Why the state database could not be used.
///
/// `description` names the file and says what happened, for a log line or `status`; `label` is a
/// short, bounded word for a metric label.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case directory, database, schema, lock
    }

    private let code: Code
    public let path: String
    private let reason: String

    public var description: String {
        switch code {
        case .directory: return "cannot create the state folder \(path): \(reason)"
        case .database: return "state database \(path): \(reason)"
        case .schema: return "state database \(path) was written by a newer feedwatch; upgrade to read it"
        case .lock: return "cannot lock the state folder \(path): \(reason)"
        }
    }

    /// `directory`, `database`, `schema` or `lock`.
    public var label: String { code.rawValue }

    static func cannotCreateDirectory(_ path: String, reason: String) -> StoreError {
        StoreError(code: .directory, path: path, reason: reason)
    }

    static func database(_ path: String, _ error: any Error) -> StoreError {
        StoreError(code: .database, path: path, reason: String(describing: error))
    }

    static func cannotLock(_ path: String, reason: String) -> StoreError {
        StoreError(code: .lock, path: path, reason: reason)
    }

    static func newerSchema(_ path: String) -> StoreError {
        StoreError(code: .schema, path: path, reason: "")
    }
}
