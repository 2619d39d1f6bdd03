import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "feedwatch-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The path of `name` inside this directory.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `contents` to `name` inside this directory and returns its URL.
    @discardableResult
    public func write(_ contents: String, to name: String) throws -> URL {
        let target = file(name)
        try Data(contents.utf8).write(to: target)
        return target
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
