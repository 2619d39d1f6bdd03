import Foundation

/// Runs system tools (`unshare`, `ip`, `nginx`, `openssl`) found on `PATH` or in the `sbin` folders.
enum ExternalTool {
    /// This process's environment with the `sbin` folders on `PATH`, where Debian puts `ip` and `nginx`.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = (environment["PATH"].map { $0 + ":" } ?? "") + "/usr/local/sbin:/usr/sbin:/sbin"
        return environment
    }()

    /// Runs `arguments` to completion; `output` holds stdout and stderr together.
    ///
    /// The output goes to a file, so a chatty tool cannot stall on a full pipe while it is waited for.
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        guard let directory = try? TemporaryDirectory(prefix: "feedwatch-tool"),
            let outputURL = try? directory.write("", to: "output"), let output = try? FileHandle(forWritingTo: outputURL)
        else { return (127, "cannot make a temporary file for \(arguments[0])") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (127, "cannot run \(arguments[0]): \(error)")
        }
        process.waitUntilExit()
        try? output.close()
        return (process.terminationStatus, (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}
