import FeedwatchConfig
import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Testing

/// A config file written into a fresh temporary folder, with whatever files it refers to beside it.
struct ConfigFixture {
    let directory: TemporaryDirectory
    let path: String

    init(_ text: String, files: [String: String] = [:]) throws {
        directory = try TemporaryDirectory()
        for (name, contents) in files {
            let url = directory.file(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try directory.write(contents, to: name)
        }
        path = try directory.write(text, to: "feedwatch.toml").path
    }

    /// The absolute path of `name` inside the fixture's folder.
    func file(_ name: String) -> String { directory.file(name).path }

    func load(environment: [String: String] = [:]) throws(ConfigurationError) -> Configuration {
        try Configuration.load(from: path, environment: environment)
    }

    /// The diagnostics loading produces, each as `line:column: message` when it is in the config itself.
    func errors(environment: [String: String] = [:]) -> [String] {
        do {
            _ = try Configuration.load(from: path, environment: environment)
            return []
        } catch {
            return error.diagnostics.map { diagnostic in
                guard let location = diagnostic.location else { return diagnostic.message }
                let place = location.file == path ? "" : "\(location.file):"
                return "\(place)\(location.line):\(location.column): \(diagnostic.message)"
            }
        }
    }
}
