#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call's `errno`, with the C library's message.
struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: Int32

    var description: String { String(cString: strerror(code)) }
}

/// Runs a system call until it stops failing with `EINTR`, and turns `-1` into a ``SystemError``.
///
/// `EINTR` only means a signal arrived before the call did anything (SIGHUP is delivered to the
/// daemon while it writes), so repeating is correct for every call made here; a `write` that
/// moved some bytes before the signal returns that count instead, which the caller handles as a
/// short write.
func systemCall<Result: FixedWidthInteger>(_ body: () -> Result) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno != EINTR { throw SystemError(code: errno) }
    }
}

/// `fstat(2)`.
func fileStatus(of descriptor: Int32) throws(SystemError) -> stat {
    var status = stat()
    _ = try systemCall { fstat(descriptor, &status) }
    return status
}

/// `stat(2)`, or `nil` when nothing is at `path`.
func fileStatus(atPath path: String) throws(SystemError) -> stat? {
    var status = stat()
    do {
        _ = try systemCall { stat(path, &status) }
    } catch  where error.code == ENOENT {
        return nil
    }
    return status
}

/// `open(2)`, retried on `EINTR`.
func openDescriptor(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(SystemError) -> Int32 {
    try systemCall { open(path, flags, mode) }
}

/// One `write(2)` of all of `bytes`; returns how many were written, which may be fewer.
func writeOnce(_ descriptor: Int32, _ bytes: [UInt8]) throws(SystemError) -> Int {
    try systemCall { bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
}

/// One `read(2)` into the start of `buffer` (`pread(2)` at `offset` when given), up to `count` bytes.
func readOnce(_ descriptor: Int32, into buffer: inout [UInt8], count: Int, at offset: off_t? = nil)
    throws(SystemError) -> Int
{
    precondition(count <= buffer.count)
    return try systemCall {
        buffer.withUnsafeMutableBytes { raw in
            if let offset { return pread(descriptor, raw.baseAddress, count, offset) }
            return read(descriptor, raw.baseAddress, count)
        }
    }
}
