import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps a second `feedwatch run` off the same `state_dir` while one is running.
///
/// Two daemons on one state would each decide an item is new and each append its alert: the
/// duplicate that the whole design exists to prevent. The lock is an `flock(2)` on
/// `state_dir/feedwatch.lock`, released by the kernel when the process ends however it ends,
/// so a `kill -9` never leaves a stale lock behind. The file holds the owner's pid, for the message.
/// `feedwatch status` reads without it.
public final class StateLock: Sendable {
    public static let fileName = "feedwatch.lock"
    private let descriptor: Int32

    /// Takes the lock on `directory` (which must exist), or fails at once if another process holds it.
    /// - Throws: ``StoreError`` naming the folder, and the holder's pid when known.
    public init(directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(StateLock.fileName)
        let descriptor: Int32
        do {
            descriptor = try openDescriptor(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        } catch {
            throw StoreError.cannotLock(directory, reason: error.description)
        }
        do {
            _ = try systemCall { flock(descriptor, LOCK_EX | LOCK_NB) }
        } catch {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            close(descriptor)
            guard error.code == EWOULDBLOCK else { throw StoreError.cannotLock(directory, reason: error.description) }
            let who = holder.map { $0.isEmpty ? "another process" : "process \($0)" } ?? "another process"
            throw StoreError.cannotLock(directory, reason: "\(who) is already running feedwatch with it")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = try? systemCall { ftruncate(descriptor, 0) }
        _ = try? writeOnce(descriptor, pid)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
