import FeedwatchCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a pass over the alert log found besides the alerts themselves.
public struct AlertLogScan: Sendable, Equatable {
    /// Complete lines read.
    public var lines: Int
    /// Complete lines that are not alerts (damaged, or not written by feedwatch); skipped.
    public var unreadableLines: Int
    /// Whether the file ended in a line without its newline (being written, or torn); not read.
    public var endsInPartialLine: Bool

    public init(lines: Int = 0, unreadableLines: Int = 0, endsInPartialLine: Bool = false) {
        self.lines = lines
        self.unreadableLines = unreadableLines
        self.endsInPartialLine = endsInPartialLine
    }
}

extension AlertLog {
    /// Reads every complete line of the log at `path`, handing alerts over in batches.
    ///
    /// Streams the file in blocks, so memory stays bounded by `batchSize` however long the log is.
    /// - Returns: the counts of lines read and skipped; a missing file, or one that is not a regular file, reads as empty.
    /// - Throws: ``AlertLogError`` when the file exists but cannot be read, or what `body` throws.
    public static func scan(
        path: String, batchSize: Int = 512, _ body: ([Alert]) throws -> Void
    ) throws -> AlertLogScan {
        let descriptor: Int32
        do {
            descriptor = try openDescriptor(path, O_RDONLY | O_CLOEXEC)
        } catch  where error.code == ENOENT {
            return AlertLogScan()
        } catch {
            throw AlertLogError(.read, path: path, error)
        }
        defer { close(descriptor) }
        // A device or FIFO as the log (`/dev/full` in tests, a pipe to another logger) holds no past
        // alerts to read, and reading one might never end.
        do {
            guard (try fileStatus(of: descriptor).st_mode & S_IFMT) == S_IFREG else { return AlertLogScan() }
        } catch {
            throw AlertLogError(.read, path: path, error)
        }

        var scan = AlertLogScan()
        var batch: [Alert] = []
        var pending: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try readOnce(descriptor, into: &block, count: block.count)
            } catch {
                throw AlertLogError(.read, path: path, error)
            }
            if count == 0 { break }
            pending.append(contentsOf: block[..<count])
            var lineStart = pending.startIndex
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[lineStart..<newline]
                lineStart = newline + 1
                scan.lines += 1
                if let alert = try? Alert(line: String(decoding: line, as: UTF8.self)) {
                    batch.append(alert)
                } else {
                    scan.unreadableLines += 1
                }
                if batch.count >= batchSize {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            pending.removeSubrange(..<lineStart)
        }
        if !batch.isEmpty { try body(batch) }
        scan.endsInPartialLine = !pending.isEmpty
        return scan
    }
}
