import Foundation
import Synchronization

/// A real HTTP(S) server on 127.0.0.1 for one test: its own routes, its own request log.
///
/// It runs `Resources/testserver.py` (Python 3 standard library only), so it behaves like a real,
/// independent server: its own process, its own sockets, its own timing. Tests script responses per
/// path with ``route(_:_:)`` and read back what arrived with ``requests()`` and ``stats()``.
///
/// Plain-HTTP servers share one Python process per test run (booting dozens of interpreters at once would
/// starve the other tests of CPU); each ``TestHTTPServer`` gets its own path prefix, so routes, logs and
/// concurrency counts never mix. A TLS server gets a process of its own, stopped when it is released.
///
/// Control calls are round trips over the process's stdin and stdout. They are `async` and wait on a
/// thread of their own, so a booting server never holds one of the cooperative pool's few threads.
public final class TestHTTPServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT/PREFIX` (or `https://…` for TLS): the root of this test's paths.
    public let baseURL: String
    private let server: ServerProcess
    /// This test's path prefix, such as `/t17`.
    private let prefix: String

    /// A fresh namespace on the shared plain-HTTP server, or a dedicated HTTPS server for `tls`.
    ///
    /// - Parameter tls: a certificate and key to serve HTTPS with; plain HTTP when `nil`.
    public init(tls: TLSIdentity? = nil) async throws {
        if let tls {
            server = try await ServerProcess.start(tls: tls)
        } else {
            server = try await sharedServer.value
        }
        prefix = "/t\(nextPrefix.add(1, ordering: .relaxed).newValue)"
        port = server.port
        baseURL = "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)\(prefix)"
    }

    /// The absolute URL of `path` (which starts with `/`) in this test's namespace.
    ///
    /// - Parameter host: the host name to use instead of `127.0.0.1` (`localhost` reaches the same server
    ///   under another name, which a client treats as another host).
    public func url(_ path: String, host: String = "127.0.0.1") -> String {
        host == "127.0.0.1" ? baseURL + path : baseURL.replacingOccurrences(of: "127.0.0.1", with: host) + path
    }

    /// Makes `path` answer with `response` from now on.
    public func route(_ path: String, _ response: TestResponse) async throws {
        var command = response.command
        command["cmd"] = "route"
        command["path"] = prefix + path
        _ = try await server.send(command)
    }

    /// Every request this test's namespace received, in arrival order, with paths relative to it.
    public func requests() async throws -> [RecordedRequest] {
        let reply = try await server.send(["cmd": "requests", "prefix": prefix + "/"])
        let list = reply["requests"] as? [[String: Any]] ?? []
        return list.map { entry in
            RecordedRequest(
                path: String((entry["path"] as? String ?? "").dropFirst(prefix.count)),
                headers: entry["headers"] as? [String: String] ?? [:],
                clientPort: entry["client_port"] as? Int ?? 0
            )
        }
    }

    /// The requests received for `path` (query string ignored).
    public func requests(to path: String) async throws -> [RecordedRequest] {
        try await requests().filter { $0.path.split(separator: "?", maxSplits: 1).first.map(String.init) == path }
    }

    /// Hits so far and the most requests that were in progress at one moment, in this namespace.
    public func stats() async throws -> (hits: Int, maxConcurrency: Int) {
        let reply = try await server.send(["cmd": "stats", "prefix": prefix + "/"])
        return (reply["hits"] as? Int ?? 0, reply["max_concurrency"] as? Int ?? 0)
    }
}

/// The plain-HTTP server every ``TestHTTPServer`` without TLS shares; it lives as long as the test process
/// (the script exits when its stdin closes).
private let sharedServer = Task { try await ServerProcess.start(tls: nil) }
private let nextPrefix = Atomic<Int>(0)

/// One running `testserver.py`.
private final class ServerProcess: Sendable {
    let port: Int
    private let process: Process
    private let control: ControlLink

    private init(port: Int, process: Process, control: ControlLink) {
        self.port = port
        self.process = process
        self.control = control
    }

    static func start(tls: TLSIdentity?) async throws -> ServerProcess {
        guard let script = Bundle.module.url(forResource: "testserver", withExtension: "py", subdirectory: "Resources")
        else { throw TestServerError("testserver.py is missing from the FeedwatchTestSupport bundle") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", "-u", script.path]
            + (tls.map { ["--tls-cert", $0.certificatePath, "--tls-key", $0.keyPath] } ?? [])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.onExit()
        try process.run()
        let control = ControlLink(
            ControlChannel(input: input.fileHandleForWriting, output: output.fileHandleForReading))
        let first = try await onOwnThread { try control.exchange(nil) }
        guard let first, first.hasPrefix("PORT "), let port = Int(first.dropFirst(5)) else {
            process.terminate()
            throw TestServerError("the test server did not report its port")
        }
        return ServerProcess(port: port, process: process, control: control)
    }

    /// Closing stdin ends the server; SIGTERM makes sure. Foundation reaps the child, so `deinit` does not
    /// wait for it on a cooperative thread.
    deinit {
        control.close()
        process.terminate()
    }

    func send(_ command: [String: Any]) async throws -> [String: Any] {
        let line = try JSONSerialization.data(withJSONObject: command) + Data("\n".utf8)
        let reply = try await onOwnThread { [control] in try control.exchange(line) }
        guard let reply, let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
        else { throw TestServerError("the test server did not answer a command") }
        return object
    }
}

/// Runs blocking work (a pipe read) on a fresh thread and suspends the caller until it is done.
private func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// How the test server answers one path.
public struct TestResponse: Sendable {
    public enum Encoding: String, Sendable {
        case gzip, deflate
    }

    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// Sent as `ETag`; a request whose `If-None-Match` equals it byte for byte gets a 304.
    public var etag: String?
    /// Sent as `Last-Modified`; a request whose `If-Modified-Since` equals it byte for byte gets a 304.
    public var lastModified: String?
    /// Extra headers on that 304 (a refreshed `ETag`, say).
    public var notModifiedHeaders: [String: String]
    public var encoding: Encoding?
    /// Seconds to wait before answering.
    public var delay: Double
    /// Seconds between body bytes, for a server that drips.
    public var drip: Double?
    /// Reads the request and never answers.
    public var hangs: Bool
    /// Sends a gzip stream of zeros that decodes to this many bytes (whole MiB).
    public var gzipBombSize: Int?

    public init(
        status: Int = 200, headers: [String: String] = [:], body: [UInt8] = [], etag: String? = nil,
        lastModified: String? = nil, notModifiedHeaders: [String: String] = [:], encoding: Encoding? = nil,
        delay: Double = 0, drip: Double? = nil, hangs: Bool = false, gzipBombSize: Int? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.etag = etag
        self.lastModified = lastModified
        self.notModifiedHeaders = notModifiedHeaders
        self.encoding = encoding
        self.delay = delay
        self.drip = drip
        self.hangs = hangs
        self.gzipBombSize = gzipBombSize
    }

    /// A 200 with `body` as UTF-8 and the given content type.
    public static func ok(_ body: String, contentType: String = "application/rss+xml") -> TestResponse {
        TestResponse(headers: ["Content-Type": contentType], body: Array(body.utf8))
    }

    /// A redirect to `location`.
    public static func redirect(_ status: Int, to location: String) -> TestResponse {
        TestResponse(status: status, headers: ["Location": location])
    }

    fileprivate var command: [String: Any] {
        var command: [String: Any] = [
            "status": status, "headers": headers, "body_b64": Data(body).base64EncodedString(),
            "not_modified_headers": notModifiedHeaders, "delay": delay, "hang": hangs,
        ]
        command["etag"] = etag
        command["last_modified"] = lastModified
        command["encoding"] = encoding?.rawValue
        command["drip"] = drip
        command["gzip_bomb"] = gzipBombSize
        return command
    }
}

/// One request as the test server received it.
public struct RecordedRequest: Sendable {
    /// The request target, query string included.
    public var path: String
    /// Header names lowercased.
    public var headers: [String: String]
    /// The client's source port: equal ports mean one reused connection.
    public var clientPort: Int
}

/// A self-signed certificate for `127.0.0.1` and `localhost`, made with the `openssl` command.
public struct TLSIdentity: Sendable {
    public var certificatePath: String
    public var keyPath: String

    /// Generates a fresh key and certificate in `directory`; the certificate doubles as its own CA bundle.
    public static func selfSigned(in directory: TemporaryDirectory) throws -> TLSIdentity {
        let identity = TLSIdentity(
            certificatePath: directory.file("cert.pem").path, keyPath: directory.file("key.pem").path)
        let openssl = ExternalTool.run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", identity.keyPath, "-out", identity.certificatePath, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        guard openssl.status == 0 else {
            throw TestServerError("openssl could not make a certificate: \(openssl.output)")
        }
        return identity
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The control pipes behind a mutex, so concurrent calls from one test cannot interleave their lines.
private final class ControlLink: Sendable {
    private let channel: Mutex<ControlChannel>

    init(_ channel: consuming ControlChannel) { self.channel = Mutex(channel) }

    /// Writes `line` (if any) and reads the next line of the reply.
    func exchange(_ line: Data?) throws -> String? {
        try channel.withLock { channel in
            if let line { try channel.write(line) }
            return channel.readLine()
        }
    }

    func close() { channel.withLock { $0.close() } }
}

/// The pipes to the server's stdin and stdout, with a line buffer for the replies.
private struct ControlChannel: ~Copyable {
    let input: FileHandle
    let output: FileHandle
    var buffered: [UInt8] = []

    mutating func write(_ data: Data) throws { try input.write(contentsOf: data) }

    /// The next line of output without its newline; `nil` at end of file.
    mutating func readLine() -> String? {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            // A plain read(2): it returns as soon as some bytes are there, unlike FileHandle.read(upToCount:),
            // which waits for the whole count.
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(output.fileDescriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffered += chunk[..<count]
        }
    }

    func close() { try? input.close() }
}
