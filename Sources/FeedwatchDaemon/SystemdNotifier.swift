import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends systemd's notify protocol messages (`READY=1`, `WATCHDOG=1`…) to `$NOTIFY_SOCKET`.
///
/// A few lines of our own rather than linking libsystemd for `sd_notify`: the protocol is one
/// datagram of newline-separated `KEY=value` pairs on a Unix socket (see sd_notify(3)), and
/// the daemon must run where libsystemd is absent. Sending never blocks and never fails the
/// daemon: a lost notification is systemd's to time out on, not ours to crash over.
public final class SystemdNotifier: Sendable {
    /// The socket path; a leading `@` names Linux's abstract namespace.
    public let socketPath: String
    /// How often systemd expects `WATCHDOG=1`, when it set a watchdog for this process.
    public let watchdogTimeout: Duration?
    private let descriptor: Int32

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    /// - Returns: `nil` when `NOTIFY_SOCKET` is unset or unusable: then nothing is ever sent.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], path.count > 1,
            path.hasPrefix("/") || path.hasPrefix("@"),
            path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        else { return nil }
        let descriptor = socket(
            AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        socketPath = path
        watchdogTimeout = SystemdNotifier.watchdogTimeout(environment)
    }

    deinit {
        close(descriptor)
    }

    /// The watchdog applies to this process when `WATCHDOG_USEC` is set and `WATCHDOG_PID`, if set, is our pid.
    private static func watchdogTimeout(_ environment: [String: String]) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        return .microseconds(microseconds)
    }

    /// `READY=1`, with an optional `STATUS=` line: start-up (or a reload) is complete.
    public func ready(status: String? = nil) {
        send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// `STATUS=`: the one line `systemctl status` shows.
    public func status(_ line: String) {
        send(["STATUS=\(line)"])
    }

    /// `WATCHDOG=1`: the scheduling loop is alive.
    public func watchdog() {
        send(["WATCHDOG=1"])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC`, which systemd uses to order the reload against `READY=1`.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
        send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() {
        send(["STOPPING=1"])
    }

    /// Sends one datagram of `assignments`, one per line. Newlines inside a value are replaced,
    /// as they would start a new assignment.
    public func send(_ assignments: [String]) {
        let message = assignments.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let isAbstract = pathBytes.first == UInt8(ascii: "@")
        if isAbstract { pathBytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        // An abstract name is exactly its bytes; a path is NUL-terminated (the zeroed struct provides it).
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        let length = pathOffset + pathBytes.count + (isAbstract ? 0 : 1)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    sendto(
                        descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress,
                        socklen_t(length))
                }
            }
        }
    }
}
