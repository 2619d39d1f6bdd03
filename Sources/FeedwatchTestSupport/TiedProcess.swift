import Foundation

/// A helper process (a server, a namespace holder) that cannot outlive its test.
///
/// It runs through `Resources/tied.py`: releasing this value kills the script and, with it, the command;
/// if the test process dies instead, the script's stdin closes and it stops the command itself.
final class TiedProcess: Sendable {
    /// The process id of `tied.py`, which is also what `launcher` turned into (`unshare` and `nsenter` exec).
    let processIdentifier: Int32
    /// Kept only so the pipe's write end stays open while this value lives.
    private let input: FileHandle

    /// Starts `command`, or, when it is empty, a process that only waits.
    ///
    /// - Parameter launcher: commands that `exec` the rest, such as `unshare` or `nsenter`.
    init(_ command: [String], launcher: [String] = []) throws {
        guard let script = Bundle.module.url(forResource: "tied", withExtension: "py", subdirectory: "Resources")
        else { throw TestServerError("tied.py is missing from the FeedwatchTestSupport bundle") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = launcher + ["python3", script.path] + command
        process.environment = ExternalTool.environment
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.onExit()
        try process.run()
        input = pipe.fileHandleForWriting
        processIdentifier = process.processIdentifier
    }

    deinit {
        kill(processIdentifier, SIGKILL)
        try? input.close()
    }
}
