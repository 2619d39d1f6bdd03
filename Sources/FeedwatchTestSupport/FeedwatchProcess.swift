import Foundation
import Synchronization

/// What a finished process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit status; for a process ended by a signal, the signal's number.
    public var exitCode: Int32
    /// The signal that ended the process, or nil when it exited by itself.
    public var signal: Int32?
    public var standardOutput: String
    public var standardError: String
    /// From the launch until the exit was noticed, timed on Foundation's threads: a test whose task resumes
    /// late on a busy cooperative pool (a loaded machine, a sanitizer) does not count its own wait.
    public var duration: Duration

    public var description: String {
        let ending = signal.map { "killed by signal \($0)" } ?? "exit \(exitCode)"
        return "\(ending)\n--- stdout\n\(standardOutput)--- stderr\n\(standardError)"
    }
}

/// The built `feedwatch` executable run as a real process, for end-to-end tests.
///
/// Output goes to files rather than pipes, so a chatty process never stalls on a full pipe, and a
/// test can read what a long-running daemon has written so far (`standardErrorSoFar`) while it runs.
/// The child inherits this process's environment except the variables that change how feedwatch
/// behaves (`FEEDWATCH_*` and systemd's `NOTIFY_SOCKET`, `WATCHDOG_*`, `JOURNAL_STREAM`), so a
/// developer's shell cannot leak into a test; pass those explicitly in `environment`.
public final class FeedwatchProcess: Sendable {
    /// Why a process could not be run or waited for.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let arguments: [String]
    private let process: Process
    /// Holds the output files until the process value goes away.
    private let directory: TemporaryDirectory
    private let exit = ExitSignal()
    private let launched: ContinuousClock.Instant

    /// Starts `feedwatch` with `arguments` and returns at once.
    ///
    /// - Parameters:
    ///   - environment: variables to set in the child on top of the inherited ones.
    ///   - standardInput: bytes the child reads on standard input; nil gives it `/dev/null`.
    ///   - currentDirectory: where the child starts; nil keeps this process's.
    ///   - launcher: a command line that runs feedwatch for us, such as ``NetworkNamespace/launcher``.
    public init(
        _ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil,
        currentDirectory: URL? = nil, launcher: [String] = []
    ) throws {
        let executable = try Self.executableURL()
        self.arguments = arguments
        directory = try TemporaryDirectory(prefix: "feedwatch-process")
        process = Process()
        if launcher.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = launcher + [executable.path] + arguments
        }
        process.environment = Self.childEnvironment(adding: environment)
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        let outputURL = try directory.write("", to: "stdout")
        let errorURL = try directory.write("", to: "stderr")
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        if let standardInput {
            let inputURL = directory.file("stdin")
            try standardInput.write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        process.onExit { [exit] in exit.fire() }
        launched = ContinuousClock.now
        try process.run()
    }

    /// Runs `feedwatch` to completion and returns its exit status and output.
    ///
    /// - Throws: `Failure` when the binary is missing or the process outlives `timeout` (it is then killed).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil,
        currentDirectory: URL? = nil, launcher: [String] = [], timeout: Duration = .seconds(60)
    ) async throws -> ProcessResult {
        let process = try FeedwatchProcess(
            arguments, environment: environment, standardInput: standardInput, currentDirectory: currentDirectory,
            launcher: launcher)
        return try await process.waitForExit(timeout: timeout)
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` (`SIGTERM`, `SIGHUP`, `SIGKILL`…) to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// What the process has written to standard output until now.
    public func standardOutputSoFar() -> String { read("stdout") }

    /// What the process has written to standard error until now.
    public func standardErrorSoFar() -> String { read("stderr") }

    /// Waits until the process ends; after `timeout` it is killed and `Failure` is thrown.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let process = process
        let exit = exit
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            if !exit.hasFired { kill(process.processIdentifier, SIGKILL) }
            return true
        }
        await exit.wait()
        watchdog.cancel()
        if (try? await watchdog.value) == true {
            throw Failure(
                description: "feedwatch \(arguments.joined(separator: " ")) ran longer than \(timeout) and was killed;"
                    + " stderr so far:\n\(standardErrorSoFar())")
        }
        let killed = process.terminationReason == .uncaughtSignal
        return ProcessResult(
            exitCode: process.terminationStatus, signal: killed ? process.terminationStatus : nil,
            standardOutput: standardOutputSoFar(), standardError: standardErrorSoFar(),
            duration: (exit.firedAt ?? ContinuousClock.now) - launched)
    }

    private func read(_ name: String) -> String {
        (try? String(contentsOf: directory.file(name), encoding: .utf8)) ?? ""
    }

    // MARK: - Finding the binary

    /// The `feedwatch` binary of this build: `$FEEDWATCH_BINARY` when set, else beside the test bundle
    /// (`.build/<triple>/debug/`), else `.build/debug/feedwatch` under the package root.
    public static func executableURL() throws -> URL {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FEEDWATCH_BINARY"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        if let testBundle = Bundle.main.executableURL {
            candidates.append(testBundle.deletingLastPathComponent().appendingPathComponent("feedwatch"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/feedwatch"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Failure(
                description: "no feedwatch binary at \(candidates.map(\.path).joined(separator: " or "));"
                    + " build it first with `swift build --build-tests`")
        }
        return found
    }

    /// Variables that would make the child behave differently from what the test asked for.
    private static func isBehaviourVariable(_ name: String) -> Bool {
        name.hasPrefix("FEEDWATCH_") || name.hasPrefix("WATCHDOG_")
            || ["NOTIFY_SOCKET", "JOURNAL_STREAM"].contains(name)
    }

    private static func childEnvironment(adding extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !isBehaviourVariable($0.key) }.merging(extra) { $1 }
    }
}

/// Fires once when the process ends, waking every task waiting for it.
private final class ExitSignal: Sendable {
    private struct State {
        var firedAt: ContinuousClock.Instant?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var hasFired: Bool { firedAt != nil }

    /// When the process was seen to end.
    var firedAt: ContinuousClock.Instant? { state.withLock { $0.firedAt } }

    func fire() {
        let waiters = state.withLock { state in
            state.firedAt = ContinuousClock.now
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let firedAlready = state.withLock { state in
                if state.firedAt != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if firedAlready { continuation.resume() }
        }
    }
}
