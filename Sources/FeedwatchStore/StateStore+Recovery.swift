import FeedwatchCore

/// What start-up recovery did to make the state agree with the alert log.
public struct RecoveryReport: Sendable, Equatable {
    /// Bytes of a torn last line cut off the log (a power loss during a write).
    public var tornBytesRemoved: Int
    /// Alerts found in the log but not in the state (a crash between the write and the record), now recorded.
    public var alertsRecorded: Int
    /// Lines of the log that are not alerts, left in place and ignored.
    public var unreadableLines: Int

    public init(tornBytesRemoved: Int, alertsRecorded: Int, unreadableLines: Int) {
        self.tornBytesRemoved = tornBytesRemoved
        self.alertsRecorded = alertsRecorded
        self.unreadableLines = unreadableLines
    }
}

extension StateStore {
    /// Brings the state in line with the alert log before anything new is written.
    ///
    /// The log is the record of truth: an alert is appended and synced before its id is recorded
    /// here, so a crash in between leaves an alert the state does not know. Recording its id makes
    /// the pipeline recognise it when the item comes round again, instead of writing it twice.
    /// Opening the log first repairs a torn last line, so no half line is glued to the next alert.
    public func recover(from log: AlertLog) throws -> RecoveryReport {
        let torn = try log.open()
        var recorded = 0
        let scan = try AlertLog.scan(path: log.path) { batch in
            recorded += try recordAlerts(batch)
        }
        return RecoveryReport(tornBytesRemoved: torn, alertsRecorded: recorded, unreadableLines: scan.unreadableLines)
    }
}
