import ArgumentParser
import FeedwatchConfig
import Foundation

extension Configuration {
    /// The config a read-only command works from: named by `--config`, else `$FEEDWATCH_CONFIG`, else the
    /// default path. A config that does not load ends the command with every diagnostic on stderr and
    /// exit status 2, as CONTRACT.md asks.
    static func loadForCommand(option: String?) throws -> Configuration {
        do {
            return try load(from: path(option: option))
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
