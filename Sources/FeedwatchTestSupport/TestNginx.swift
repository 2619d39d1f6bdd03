import Foundation

/// A real nginx for one test, for what the Python test server cannot do: HTTP/2 over TLS, and serving
/// inside a ``NetworkNamespace`` on addresses of the test's choosing.
///
/// The test writes the `server { … }` blocks; this adds the rest (pid file, logs and temporary folders in a
/// directory of its own) and an access log that records the protocol of every request. nginx runs in the
/// foreground as a single process, stopped when this value goes away (see `TiedProcess`).
public final class TestNginx: Sendable {
    /// Why nginx cannot serve the tests here, or `nil` when it can. Checked once per test run.
    public static let unavailableReason: String? = {
        let version = ExternalTool.run(["nginx", "-V"])
        guard version.status == 0 else {
            return "nginx is not installed (scripts/setup-deps installs it): \(version.output)"
        }
        for module in ["http_ssl_module", "http_v2_module"] where !version.output.contains("--with-\(module)") {
            return "this nginx was built without \(module)"
        }
        return nil
    }()

    /// Whether ``unavailableReason`` is `nil`; for `.enabled(if:)`.
    public static var isAvailable: Bool { unavailableReason == nil }

    /// Holds the config, logs and the document root.
    public let directory: TemporaryDirectory
    /// The folder served as `root`; write feeds here with ``write(_:to:)``.
    public var root: String { directory.file("www").path }
    private let process: TiedProcess

    /// Starts nginx with `servers` (one or more `server { … }` blocks) and returns once it listens.
    ///
    /// - Parameters:
    ///   - namespace: the network to serve in; the machine's own loopback when `nil`.
    ///   - servers: the server blocks, given the document root's path.
    public init(in namespace: NetworkNamespace? = nil, servers: (_ root: String) -> String) async throws {
        if let reason = Self.unavailableReason { throw TestServerError(reason) }
        directory = try TemporaryDirectory(prefix: "feedwatch-nginx")
        let folder = directory.path
        try FileManager.default.createDirectory(at: directory.file("www"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.file("tmp"), withIntermediateDirectories: true)
        let temporaryPaths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .map { "\($0)_temp_path \(folder)/tmp/\($0);" }.joined(separator: " ")
        // As the namespace's root, nginx would hand its temporary folders to "nobody", who does not exist
        // there; "root" is the test's own user. Outside a namespace nginx is not root and skips this.
        let user = namespace == nil ? "" : "user root root;"
        let config = """
            daemon off;
            master_process off;
            \(user)
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 512; }
            http {
                \(temporaryPaths)
                types { application/rss+xml xml; text/plain txt; }
                log_format protocol '$remote_addr $server_protocol $status $request_uri';
                access_log \(folder)/access.log protocol;
                \(servers(directory.file("www").path))
            }

            """
        try directory.write(config, to: "nginx.conf")

        process = try TiedProcess(
            ["nginx", "-e", "\(folder)/error.log", "-p", folder, "-c", "\(folder)/nginx.conf"],
            launcher: namespace?.launcher ?? [])

        // nginx writes its pid file after it has bound every listening socket.
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: "\(folder)/nginx.pid") {
            let log = (try? String(contentsOf: directory.file("error.log"), encoding: .utf8)) ?? ""
            guard ContinuousClock.now < deadline, !log.contains("[emerg]") else {
                throw TestServerError("nginx did not start:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Writes `contents` to `path` under the document root.
    public func write(_ contents: String, to path: String) throws {
        try directory.write(contents, to: "www/\(path)")
    }

    /// The requests served so far, one line each: `client-address protocol status uri`
    /// (for example `127.0.0.1 HTTP/2.0 200 /feed.xml`).
    public func accessLog() -> [String] {
        let text = (try? String(contentsOf: directory.file("access.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }
}
