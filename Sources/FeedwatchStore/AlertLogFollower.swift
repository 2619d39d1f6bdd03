#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the alert log line by line as it grows and keeps going across rotation, as `tail -F` does.
///
/// logrotate either renames the log and lets the daemon create a new one (`create`), or copies it
/// and truncates it in place (`copytruncate`). The follower drains the old file before switching to
/// a new file at the same path, and starts over from the top when the file shrinks under it. A line
/// is handed out only once its newline has been read, so a reader never sees half an alert.
public final class AlertLogFollower {
    public let path: String
    private var descriptor: Int32?
    private var offset: off_t = 0
    /// Bytes after the last newline read so far: the start of a line still being written.
    private var pending: [UInt8] = []
    private var block = [UInt8](repeating: 0, count: 64 * 1024)

    public init(path: String) {
        self.path = path
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Every complete line that has appeared since the last call, without newlines.
    ///
    /// A log that does not exist yet reads as empty; following picks it up once it is created.
    /// - Throws: ``AlertLogError`` when the file exists but cannot be opened or read.
    public func readLines() throws(AlertLogError) -> [String] {
        var lines: [String] = []
        // Bounded: each pass either finishes on the current file or moves to a new one.
        for _ in 0..<4 {
            guard let descriptor = try openIfNeeded() else { return lines }
            try drain(descriptor, into: &lines)
            switch try rotationState(of: descriptor) {
            case .unchanged:
                return lines
            case .truncated:
                offset = 0
                pending.removeAll()
            case .replaced:
                close(descriptor)
                self.descriptor = nil
                offset = 0
                pending.removeAll()
            }
        }
        return lines
    }

    private func openIfNeeded() throws(AlertLogError) -> Int32? {
        if let descriptor { return descriptor }
        do {
            let opened = try openDescriptor(path, O_RDONLY | O_CLOEXEC)
            descriptor = opened
            return opened
        } catch where error.code == ENOENT {
            return nil
        } catch {
            throw AlertLogError(.read, path: path, error)
        }
    }

    private func drain(_ descriptor: Int32, into lines: inout [String]) throws(AlertLogError) {
        while true {
            let count: Int
            do {
                count = try readOnce(descriptor, into: &block, count: block.count, at: offset)
            } catch {
                throw AlertLogError(.read, path: path, error)
            }
            if count == 0 { return }
            offset += off_t(count)
            var lineStart = 0
            for index in 0..<count where block[index] == UInt8(ascii: "\n") {
                pending.append(contentsOf: block[lineStart..<index])
                lines.append(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                lineStart = index + 1
            }
            pending.append(contentsOf: block[lineStart..<count])
        }
    }

    private enum RotationState {
        case unchanged
        /// Cut in place (copytruncate): read again from the top.
        case truncated
        /// The path now names another file (create mode), or nothing yet.
        case replaced
    }

    private func rotationState(of descriptor: Int32) throws(AlertLogError) -> RotationState {
        do {
            let open = try fileStatus(of: descriptor)
            if open.st_size < offset { return .truncated }
            guard let named = try fileStatus(atPath: path) else { return .unchanged }
            return named.st_dev != open.st_dev || named.st_ino != open.st_ino ? .replaced : .unchanged
        } catch {
            throw AlertLogError(.read, path: path, error)
        }
    }
}
