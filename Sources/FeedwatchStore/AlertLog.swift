import FeedwatchCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The append-only JSON Lines file of alerts, written so that a line is there whole or not at all.
///
/// - Each alert is one `write(2)` of one whole line on an `O_APPEND` descriptor, so concurrent
///   readers never see half a line and a `kill -9` cannot tear one; the line is `fsync`ed before
///   ``append(_:)`` returns, and only then may the caller record the alert as written.
/// - A failed or short write (disk full, quota, I/O error) is cut back off the file, so no partial
///   line is left behind for the next append to glue onto; the caller retries on its next cycle.
/// - Log rotation: before each append the path is checked against the open file. If logrotate
///   renamed it away (`create` mode) the next line goes to a new file at the path; if it copied
///   and truncated it (`copytruncate`), `O_APPEND` puts the next line at the new end, offset 0.
///   ``reopen()`` (on SIGHUP) closes the file so the next append opens the path afresh.
/// - Each open repairs a torn last line (bytes after the last newline, as a power loss can leave)
///   by cutting it off; complete lines are never touched.
public final class AlertLog: @unchecked Sendable {
    /// The path from the config; reopened by name, never by descriptor.
    public let path: String
    /// Protects `descriptor`: appends and reopens may come from different tasks.
    private let lock = NSLock()
    /// The open file, or `nil` before the first append and after ``reopen()`` or a failed open.
    private var descriptor: Int32?

    /// Files created for the log are readable by everyone (analysts, `feedwatch tail`), writable by the daemon.
    private static let creationMode: mode_t = 0o644

    /// Makes a writer for `path`; nothing is opened until ``open()`` or the first ``append(_:)``.
    public init(path: String) {
        self.path = path
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Opens the log now (creating it if needed) and repairs a torn last line, so start-up can
    /// report a log it cannot write and recovery can read a clean file.
    /// - Returns: how many bytes of a torn last line were removed (0 for a clean file).
    @discardableResult
    public func open() throws(AlertLogError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return try openIfNeeded()
    }

    /// Closes the file so the next append opens `path` again; for SIGHUP after manual rotation.
    public func reopen() {
        lock.lock()
        defer { lock.unlock() }
        closeDescriptor()
    }

    /// Appends `alert` as one line and waits until it is on disk.
    ///
    /// - Throws: ``AlertLogError`` when the line could not be written and synced whole; the file
    ///   is then as it was before the call, and the alert must not be recorded as written.
    public func append(_ alert: Alert) throws(AlertLogError) {
        try append(line: alert.line)
    }

    /// Appends one line, which must end with its only newline.
    func append(line: String) throws(AlertLogError) {
        precondition(line.last == "\n" && line.dropLast().firstIndex(of: "\n") == nil, "one line per append")
        lock.lock()
        defer { lock.unlock() }
        if try isReplaced() { closeDescriptor() }
        try openIfNeeded()
        guard let descriptor else { return }
        let bytes = Array(line.utf8)
        let written: Int
        do {
            written = try writeOnce(descriptor, bytes)
        } catch {
            throw AlertLogError(.write, path: path, error)
        }
        if written != bytes.count {
            removeTail(written, of: descriptor)
            throw AlertLogError(.shortWrite(written: written, of: bytes.count), path: path)
        }
        do {
            _ = try systemCall { fsync(descriptor) }
        } catch {
            // The data may never reach the disk; take the line back so a retry cannot duplicate it.
            removeTail(written, of: descriptor)
            throw AlertLogError(.sync, path: path, error)
        }
    }

    /// Cuts the last `count` bytes of the open file, undoing a partial or unsynced append.
    ///
    /// Counted from the current end rather than from a size taken before the write, so a
    /// `copytruncate` that happened in between cannot make us extend the file with zeros.
    /// Nothing to do for a non-regular file (a FIFO, `/dev/full`), which cannot be truncated.
    private func removeTail(_ count: Int, of descriptor: Int32) {
        guard count > 0, let status = try? fileStatus(of: descriptor), (status.st_mode & S_IFMT) == S_IFREG else {
            return
        }
        _ = try? systemCall { ftruncate(descriptor, max(0, status.st_size - off_t(count))) }
    }

    /// Whether `path` now names another file than the open one (renamed away, deleted, replaced).
    private func isReplaced() throws(AlertLogError) -> Bool {
        guard let descriptor else { return false }
        do {
            let open = try fileStatus(of: descriptor)
            guard let named = try fileStatus(atPath: path) else { return true }
            return named.st_dev != open.st_dev || named.st_ino != open.st_ino
        } catch {
            throw AlertLogError(.open, path: path, error)
        }
    }

    @discardableResult
    private func openIfNeeded() throws(AlertLogError) -> Int {
        guard descriptor == nil else { return 0 }
        let opened: Int32
        let created: Bool
        do {
            // O_EXCL first, to learn whether this open made the file.
            opened = try openDescriptor(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, AlertLog.creationMode)
            created = true
        } catch  where error.code == EEXIST {
            do {
                opened = try openDescriptor(path, O_WRONLY | O_APPEND | O_CLOEXEC)
                created = false
            } catch {
                throw AlertLogError(.open, path: path, error)
            }
        } catch {
            throw AlertLogError(.open, path: path, error)
        }
        descriptor = opened
        do {
            if created { try syncParentDirectory() }
            return try removeTornLastLine(of: opened)
        } catch {
            closeDescriptor()
            throw AlertLogError(created ? .open : .repair, path: path, error)
        }
    }

    /// Makes a new log file's name durable: `fsync` on the file covers its data, not the directory
    /// entry, and an alert whose file vanishes in a power loss would be lost while its id stays recorded.
    private func syncParentDirectory() throws(SystemError) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = try openDescriptor(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(descriptor) }
        _ = try systemCall { fsync(descriptor) }
    }

    private func closeDescriptor() {
        guard let descriptor else { return }
        // Not retried on EINTR: on Linux the descriptor is released even then
        // (see the NOTES of close(2)), and a retry could close another thread's new file.
        close(descriptor)
        self.descriptor = nil
    }

    /// Truncates the file open as `writer` after its last newline, and returns how many bytes that removed.
    ///
    /// The writer is write-only, so the tail is read through a second, read-only descriptor on the
    /// path; if the path already names another file (rotated in between), that new file is left alone.
    /// Reads backwards in blocks, so a large log costs only its last line.
    private func removeTornLastLine(of writer: Int32) throws(SystemError) -> Int {
        let status = try fileStatus(of: writer)
        guard (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return 0 }
        let reader = try openDescriptor(path, O_RDONLY | O_CLOEXEC)
        defer { close(reader) }
        let readerStatus = try fileStatus(of: reader)
        guard readerStatus.st_dev == status.st_dev, readerStatus.st_ino == status.st_ino else { return 0 }

        let size = Int(status.st_size)
        var block = [UInt8](repeating: 0, count: 4096)
        var end = size
        while end > 0 {
            let start = max(0, end - block.count)
            let count = end - start
            let read = try readOnce(reader, into: &block, count: count, at: off_t(start))
            guard read == count else { throw SystemError(code: EIO) }
            if let newline = block[..<count].lastIndex(of: UInt8(ascii: "\n")) {
                let keep = start + newline + 1
                guard keep < size else { return 0 }
                _ = try systemCall { ftruncate(writer, off_t(keep)) }
                return size - keep
            }
            end = start
        }
        _ = try systemCall { ftruncate(writer, 0) }
        return size
    }
}
