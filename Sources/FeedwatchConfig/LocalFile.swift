import Foundation

/// Small file-system questions the loader and `check` ask, answered with the system's own reasons
/// ("No such file or directory", "Permission denied") rather than Foundation's long sentences.
enum LocalFile {
    struct Failure: Error {
        /// strerror's text for the errno that stopped us.
        var reason: String

        init(errno code: Int32) { reason = String(cString: strerror(code)) }

        init(reason: String) { self.reason = reason }
    }

    /// The whole content of a regular file.
    static func contents(of path: String) throws(Failure) -> Data {
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            data.append(contentsOf: buffer[..<count])
        }
    }

    /// Why `path` cannot be read as a file, or nil when it can.
    static func readProblem(at path: String) -> String? {
        do {
            close(try openForReading(path))
            return nil
        } catch {
            return error.reason
        }
    }

    /// A descriptor open for reading on a file that is not a directory; the caller closes it.
    private static func openForReading(_ path: String) throws(Failure) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let failure = Failure(errno: errno)
            close(descriptor)
            throw failure
        }
        guard (status.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw Failure(errno: EISDIR)
        }
        return descriptor
    }

    /// Why the program could not create or write `path` (a file or a directory), or nil when it could.
    ///
    /// An existing path must be writable; a missing one needs its nearest existing ancestor to be a
    /// writable directory, since the daemon creates what is missing at start.
    static func writeProblem(at path: String, directory: Bool) -> String? {
        var status = stat()
        if stat(path, &status) == 0 {
            let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
            if directory && !isDirectory { return "\(path) exists and is not a directory" }
            if !directory && isDirectory { return "\(path) is a directory" }
            return access(path, W_OK) == 0 ? nil : "\(path) is not writable: \(String(cString: strerror(errno)))"
        }
        var ancestor = path
        repeat {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        } while !ancestor.isEmpty && ancestor != "/" && stat(ancestor, &status) != 0
        if ancestor.isEmpty { ancestor = "." }
        guard stat(ancestor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            return "\(path) cannot be created: \(ancestor) is not a directory"
        }
        guard access(ancestor, W_OK) == 0 else {
            return "\(path) cannot be created: \(ancestor) is not writable"
        }
        return nil
    }
}
