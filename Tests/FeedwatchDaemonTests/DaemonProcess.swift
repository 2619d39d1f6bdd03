import Foundation
import FeedwatchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The built `feedwatch` binary running as a real process, with its standard error kept in a file
/// (a pipe could fill up and stall a chatty daemon).
final class DaemonProcess: @unchecked Sendable {
    /// `process` is only started once and then read; Foundation's `Process` is thread-safe for that.
    private let process = Process()
    private let standardError: URL

    /// The `feedwatch` executable that `swift build` put beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("feedwatch")
    }

    /// Starts `feedwatch arguments…` in `directory`, with `environment` added to a minimal one.
    init(_ arguments: [String], in directory: TemporaryDirectory, environment: [String: String] = [:]) throws {
        standardError = directory.file("stderr-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: standardError.path, contents: nil)
        process.executableURL = DaemonProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory.url
        process.environment = ["PATH": "/usr/bin:/bin", "TZ": "UTC"].merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: standardError)
        try process.run()
    }

    /// Runs `feedwatch arguments…` to its end, `timeout` seconds at most, and returns its exit status.
    static func run(
        _ arguments: [String], in directory: TemporaryDirectory, environment: [String: String] = [:],
        timeout: Double = 30
    ) async throws -> (status: Int32?, stderr: String) {
        let daemon = try DaemonProcess(arguments, in: directory, environment: environment)
        let status = await daemon.waitForExit(timeout: timeout)
        if status == nil { daemon.kill(SIGKILL) }
        return (status, daemon.errorOutput)
    }

    var pid: Int32 { process.processIdentifier }

    func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// The exit status, or `nil` if the process is still running after `timeout` seconds.
    /// A process ended by a signal reports 128 + the signal, as a shell would. Sleeps between
    /// checks without holding a thread, as the cooperative pool is small.
    func waitForExit(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Everything the process wrote to standard error so far.
    var errorOutput: String {
        (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning {
            kill(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Checks `condition` every 20 ms until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
