import Foundation

/// A private network for one test: a user and network namespace (`unshare -rn`) whose only interface is
/// its own loopback.
///
/// Inside it a test may give `lo` public-looking addresses, serve on them and run `feedwatch` against
/// them; nothing started there can reach any other network, and DNS servers are unreachable, so a name
/// lookup fails at once instead of sending a query out. Needs no root: the kernel must allow
/// unprivileged user namespaces (``unavailableReason`` says when it does not).
public final class NetworkNamespace: Sendable {
    /// Why a namespace cannot be made on this machine, or `nil` when it can. Checked once per test run.
    public static let unavailableReason: String? = {
        let probe = ExternalTool.run(
            ["unshare", "--user", "--map-root-user", "--net", "ip", "link", "set", "lo", "up"])
        guard probe.status != 0 else { return nil }
        return "`unshare --user --map-root-user --net` (util-linux) and `ip` (iproute2) must work without root "
            + "here, and they do not: \(probe.output.trimmingCharacters(in: .whitespacesAndNewlines))"
    }()

    /// Whether ``unavailableReason`` is `nil`; for `.enabled(if:)`.
    public static var isAvailable: Bool { unavailableReason == nil }

    /// Put in front of a command line to run it inside this namespace (as its root user).
    public let launcher: [String]
    /// Holds the namespace open for as long as this value lives.
    private let holder: TiedProcess

    /// Creates the namespace with `lo` up (127.0.0.1 and ::1).
    public init() async throws {
        if let reason = Self.unavailableReason { throw TestServerError(reason) }
        holder = try TiedProcess([], launcher: ["unshare", "--user", "--map-root-user", "--net"])
        let pid = holder.processIdentifier
        launcher = ["nsenter", "--target", "\(pid)", "--user", "--net", "--"]
        // The holder's pid exists before `unshare` has made the namespaces and mapped our user into them;
        // the group map is written last: wait until it is there and differs from this process's own.
        let ours = try String(contentsOfFile: "/proc/self/gid_map", encoding: .utf8)
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let theirs = (try? String(contentsOfFile: "/proc/\(pid)/gid_map", encoding: .utf8)) ?? ""
            if !theirs.isEmpty && theirs != ours { break }
            guard ContinuousClock.now < deadline else {
                throw TestServerError("the network namespace did not come up")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let up = ExternalTool.run(launcher + ["ip", "link", "set", "lo", "up"])
        guard up.status == 0 else { throw TestServerError("cannot bring lo up in the namespace: \(up.output)") }
    }

    /// Adds `address` (with its prefix length, e.g. `203.0.113.7/32`) to `lo`, so servers can listen on it.
    public func addLoopbackAddress(_ address: String) throws {
        let added = ExternalTool.run(launcher + ["ip", "address", "add", address, "dev", "lo"])
        guard added.status == 0 else { throw TestServerError("cannot add \(address) to lo: \(added.output)") }
    }
}
