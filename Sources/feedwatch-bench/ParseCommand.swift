import ArgumentParser
import FeedwatchCore
import FeedwatchParser
import Foundation

/// `feedwatch-bench parse`: parse throughput over many files in one process, or peak memory on one big file.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse feed files in-process and print bytes, items and seconds as one JSON line."
    )

    @Flag(help: "Stream each file through FeedParser's file entry point, items handed over and dropped, no size limit.")
    var streaming = false

    @Argument(help: "Feed files.")
    var files: [String]

    func run() throws {
        // The big-feed run exists to show memory stays flat, so it lifts the input limit that guards the daemon.
        let parser = FeedParser(configuration: streaming ? .init(maxInputBytes: .max) : .init())
        var bytes = 0
        var items = 0
        var warnings = 0
        let clock = PhaseClock()
        for path in files {
            let document: FeedDocument
            do throws(FeedParseError) {
                if streaming {
                    document = try parser.parse(contentsOfFile: path) { _ in items += 1 }
                } else {
                    let data = try readAll(path)
                    bytes += data.count
                    document = try parser.parse(data)
                    items += document.items.count
                }
            } catch {
                throw ValidationError("\(path): \(error)")
            }
            warnings += document.warnings.count
        }
        let elapsed = clock.elapsed()
        if streaming {
            bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        }
        let line: JSONValue = .object([
            ("files", .int(files.count)),
            ("bytes", .int(bytes)),
            ("items", .int(items)),
            ("warnings", .int(warnings)),
            ("seconds", .double(elapsed.wall)),
            ("cpu_seconds", .double(elapsed.cpu)),
            ("peak_rss_kb", .int(PhaseClock.peakResidentKilobytes())),
        ])
        print(line.serialized())
    }

    private func readAll(_ path: String) throws(FeedParseError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableInput("cannot read it")
        }
        return [UInt8](data)
    }
}
