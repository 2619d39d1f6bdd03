import FeedwatchCore
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@Suite struct AlertLogTests {
    @Test func appendsWholeLinesThatReadBack() throws {
        let directory = try TemporaryDirectory()
        let log = AlertLog(path: directory.file("alerts.jsonl").path)
        let alerts = (1...3).map { Samples.alert($0) }
        for alert in alerts { try log.append(alert) }

        let text = try contents(of: directory.file("alerts.jsonl"))
        #expect(text == alerts.map(\.line).joined())
        var read: [Alert] = []
        let scan = try AlertLog.scan(path: log.path, batchSize: 2) { read += $0 }
        #expect(read == alerts)
        #expect(scan == AlertLogScan(lines: 3, unreadableLines: 0, endsInPartialLine: false))
    }

    /// logrotate `create` renames the file away and makes a new empty one; a manual `mv` makes none.
    @Test(arguments: [true, false]) func followsRenameRotation(recreated: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("alerts.jsonl")
        let log = AlertLog(path: path.path)
        try log.append(Samples.alert(1))
        try FileManager.default.moveItem(at: path, to: directory.file("alerts.jsonl.1"))
        if recreated {
            #expect(FileManager.default.createFile(atPath: path.path, contents: nil))
        }
        try log.append(Samples.alert(2))
        try log.append(Samples.alert(3))

        #expect(try contents(of: directory.file("alerts.jsonl.1")) == Samples.alert(1).line)
        #expect(try contents(of: path) == Samples.alert(2).line + Samples.alert(3).line)
    }

    @Test func keepsAppendingAfterCopytruncate() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("alerts.jsonl")
        let log = AlertLog(path: path.path)
        try log.append(Samples.alert(1))
        try log.append(Samples.alert(2))
        // logrotate `copytruncate`: copy the file, then cut the original to zero in place.
        try FileManager.default.copyItem(at: path, to: directory.file("alerts.jsonl.1"))
        let handle = try FileHandle(forWritingTo: path)
        try handle.truncate(atOffset: 0)
        try handle.close()
        try log.append(Samples.alert(3))

        #expect(try contents(of: directory.file("alerts.jsonl.1")) == Samples.alert(1).line + Samples.alert(2).line)
        // No hole of zeros where the old lines were: O_APPEND writes at the new end.
        #expect(try contents(of: path) == Samples.alert(3).line)
    }

    @Test func reopenOnRequestFollowsAReplacedPath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("alerts.jsonl")
        let log = AlertLog(path: path.path)
        try log.append(Samples.alert(1))
        try FileManager.default.removeItem(at: path)
        log.reopen()
        try log.append(Samples.alert(2))
        #expect(try contents(of: path) == Samples.alert(2).line)
    }

    @Test func diskFullIsReportedAndLeavesNothingBehind() throws {
        let log = AlertLog(path: "/dev/full")
        let error = #expect(throws: AlertLogError.self) { try log.append(Samples.alert(1)) }
        #expect(error?.errno == ENOSPC)
        #expect(error?.label == "write")
        #expect(error?.description.contains("/dev/full") == true)
        #expect(error?.description.contains("No space left on device") == true)
    }

    @Test func anUnopenableLogFailsUntilItsFolderExists() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("later/alerts.jsonl")
        let log = AlertLog(path: path.path)
        let error = #expect(throws: AlertLogError.self) { try log.append(Samples.alert(1)) }
        #expect(error?.errno == ENOENT)
        #expect(error?.label == "open")
        // The next cycle retries, and succeeds once the operator fixed the folder.
        try FileManager.default.createDirectory(at: directory.file("later"), withIntermediateDirectories: true)
        try log.append(Samples.alert(1))
        #expect(try contents(of: path) == Samples.alert(1).line)
    }

    @Test func openingCutsATornLastLineOnly() throws {
        let directory = try TemporaryDirectory()
        let whole = Samples.alert(1).line + Samples.alert(2).line
        let torn = String(Samples.alert(3).line.prefix(40))
        let path = try directory.write(whole + torn, to: "alerts.jsonl")
        let log = AlertLog(path: path.path)
        #expect(try log.open() == torn.utf8.count)
        try log.append(Samples.alert(3))
        #expect(try contents(of: path) == whole + Samples.alert(3).line)
    }

    @Test func aLogThatIsOnlyATornLineIsEmptied() throws {
        let directory = try TemporaryDirectory()
        // A power loss can leave blocks of zeros where the last write was going.
        let path = try directory.write(String(repeating: "\0", count: 5000), to: "alerts.jsonl")
        let log = AlertLog(path: path.path)
        #expect(try log.open() == 5000)
        #expect(try contents(of: path).isEmpty)
    }

    @Test func scanSkipsDamagedLinesAndReportsAPartialEnd() throws {
        let directory = try TemporaryDirectory()
        let text = Samples.alert(1).line + "not json\n" + Samples.alert(2).line + #"{"id":"half"#
        let path = try directory.write(text, to: "alerts.jsonl")
        var read: [Alert] = []
        let scan = try AlertLog.scan(path: path.path) { read += $0 }
        #expect(read == [Samples.alert(1), Samples.alert(2)])
        #expect(scan == AlertLogScan(lines: 3, unreadableLines: 1, endsInPartialLine: true))
        #expect(try AlertLog.scan(path: directory.file("missing").path) { _ in } == AlertLogScan())
    }

    @Test func concurrentAppendsNeverInterleave() async throws {
        let directory = try TemporaryDirectory()
        let log = AlertLog(path: directory.file("alerts.jsonl").path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<64 {
                group.addTask { try log.append(Samples.alert(number)) }
            }
            try await group.waitForAll()
        }
        var ids: [String] = []
        let scan = try AlertLog.scan(path: log.path) { ids += $0.map(\.id) }
        #expect(scan.unreadableLines == 0)
        #expect(Set(ids) == Set((0..<64).map { Samples.alert($0).id }))
    }
}

extension AlertLogTests {
    @Test func scanningADeviceReadsNothingAndEnds() throws {
        // /dev/zero never ends; a log path naming a device has no past alerts to read.
        #expect(try AlertLog.scan(path: "/dev/zero") { _ in } == AlertLogScan())
    }
}
