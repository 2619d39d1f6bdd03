import FeedwatchTestSupport
import Foundation
import Testing

/// The shipped unit file and install script, checked with the real systemd tools and a staged install.
@Suite struct ServiceFilesTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func unitIsHardenedToAtMostOnePointFive() throws {
        let result = try Self.run(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", "systemd/feedwatch.service"])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 1.5, "\(line)")
    }

    @Test func unitVerifiesClean() throws {
        // verify insists that ExecStart exists; point it at the binary under test, keep everything else.
        let directory = try TemporaryDirectory()
        let unit = try String(contentsOf: Self.root.appendingPathComponent("systemd/feedwatch.service"), encoding: .utf8)
        let binary = try FeedwatchProcess.executableURL().path
        let staged = try directory.write(
            unit.replacingOccurrences(of: "/usr/local/bin/feedwatch", with: binary), to: "feedwatch.service")
        let result = try Self.run("/usr/bin/systemd-analyze", ["verify", staged.path])
        #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
    }

    @Test func installKeepsEditedConfigAndUninstallKeepsStateUnlessPurged() throws {
        let stage = try TemporaryDirectory()
        let binary = try FeedwatchProcess.executableURL().path
        let install = ["scripts/install", "--destdir", stage.path, "--binary", binary]

        let first = try Self.run("/bin/bash", install)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("systemctl enable --now feedwatch"))
        let manager = FileManager.default
        for path in [
            "usr/local/bin/feedwatch", "etc/systemd/system/feedwatch.service", "etc/logrotate.d/feedwatch",
            "etc/feedwatch/feedwatch.toml", "etc/feedwatch/rules/central-asia.toml", "usr/local/share/doc/feedwatch/README.md",
        ] {
            #expect(manager.fileExists(atPath: stage.file(path).path), "\(path) missing")
        }

        let config = stage.file("etc/feedwatch/feedwatch.toml")
        try Data("# edited by the operator\n".utf8).write(to: config)
        let second = try Self.run("/bin/bash", install)
        #expect(second.status == 0, "\(second.output)")
        #expect(try String(contentsOf: config, encoding: .utf8) == "# edited by the operator\n")
        #expect(manager.fileExists(atPath: config.path + ".dist"))

        try manager.createDirectory(at: stage.file("var/lib/feedwatch"), withIntermediateDirectories: true)
        let uninstall = try Self.run("/bin/bash", ["scripts/install", "--destdir", stage.path, "--uninstall"])
        #expect(uninstall.status == 0, "\(uninstall.output)")
        #expect(!manager.fileExists(atPath: stage.file("usr/local/bin/feedwatch").path))
        #expect(!manager.fileExists(atPath: stage.file("etc/systemd/system/feedwatch.service").path))
        #expect(manager.fileExists(atPath: config.path))
        #expect(manager.fileExists(atPath: stage.file("var/lib/feedwatch").path))

        let purge = try Self.run("/bin/bash", ["scripts/install", "--destdir", stage.path, "--uninstall", "--purge"])
        #expect(purge.status == 0, "\(purge.output)")
        #expect(!manager.fileExists(atPath: stage.file("etc/feedwatch").path))
        #expect(!manager.fileExists(atPath: stage.file("var/lib/feedwatch").path))
    }
}
