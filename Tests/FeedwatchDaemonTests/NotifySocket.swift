import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix datagram socket standing in for systemd's notify socket, so tests can read what the daemon sends.
final class NotifySocket: @unchecked Sendable {
    /// Immutable after init; `recv` on one descriptor from one test at a time.
    let path: String
    private let descriptor: Int32

    /// Binds a socket at `path` (a file path, or `@name` for the abstract namespace).
    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = socklen_t(offset + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
    }

    deinit {
        close(descriptor)
        if !path.hasPrefix("@") { unlink(path) }
    }

    /// The next datagram, or `nil` when none arrives within `timeout` seconds. Waits without
    /// holding a thread of the cooperative pool.
    func receive(timeout: Double) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 0) != 1 {
            guard Date() < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    /// Messages received until one contains `expected` or `timeout` seconds pass. Datagrams already queued are
    /// read even past the deadline: on a loaded machine this task can resume late, and what the daemon sent in
    /// time must not count as missing.
    func receive(until expected: String, timeout: Double) async -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var messages: [String] = []
        while let message = await receive(timeout: deadline.timeIntervalSinceNow) {
            messages.append(message)
            if message.contains(expected) { break }
        }
        return messages
    }
}
