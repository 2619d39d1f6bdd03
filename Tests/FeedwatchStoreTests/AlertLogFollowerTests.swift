import Foundation
import Testing

@testable import FeedwatchStore
import FeedwatchTestSupport

@Suite struct AlertLogFollowerTests {
    private func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func waitsForTheLogThenReadsOnlyWholeLines() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("alerts.jsonl")
        let follower = AlertLogFollower(path: log.path)
        #expect(try follower.readLines().isEmpty)

        try directory.write("one\ntw", to: "alerts.jsonl")
        #expect(try follower.readLines() == ["one"])
        try append("o\nthree\n", to: log)
        #expect(try follower.readLines() == ["two", "three"])
        #expect(try follower.readLines().isEmpty)
    }

    @Test func drainsTheOldFileThenFollowsTheNewOneAfterRenameRotation() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("alerts.jsonl")
        try directory.write("a\n", to: "alerts.jsonl")
        let follower = AlertLogFollower(path: log.path)
        #expect(try follower.readLines() == ["a"])

        // The daemon appended once more before logrotate renamed the file and the daemon reopened.
        try append("b\n", to: log)
        try FileManager.default.moveItem(at: log, to: directory.file("alerts.jsonl.1"))
        #expect(try follower.readLines() == ["b"])
        try directory.write("c\n", to: "alerts.jsonl")
        #expect(try follower.readLines() == ["c"])
    }

    @Test func startsOverWhenTheLogIsTruncatedInPlace() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("alerts.jsonl")
        try directory.write("first line\nsecond line\n", to: "alerts.jsonl")
        let follower = AlertLogFollower(path: log.path)
        #expect(try follower.readLines().count == 2)

        // copytruncate: the file keeps its inode and is cut to zero, then appended to again.
        let handle = try FileHandle(forWritingTo: log)
        try handle.truncate(atOffset: 0)
        try handle.close()
        try append("x\n", to: log)
        #expect(try follower.readLines() == ["x"])
    }

    @Test func reportsAnUnreadableLogByPath() throws {
        let directory = try TemporaryDirectory()
        let follower = AlertLogFollower(path: directory.path)  // a directory: open works, read fails
        #expect {
            try follower.readLines()
        } throws: { error in
            "\(error)".contains(directory.path)
        }
    }
}
