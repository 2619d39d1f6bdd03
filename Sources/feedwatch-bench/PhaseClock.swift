import Foundation

/// Wall and CPU time of one phase, measured inside the process so that start-up and loading the
/// input are left out of the figure the runner divides by.
struct PhaseClock {
    private let wallStart = ContinuousClock.now
    private let cpuStart = PhaseClock.cpuSeconds()

    /// Seconds of wall time and of CPU time (user + system, all threads) since this clock was made.
    func elapsed() -> (wall: Double, cpu: Double) {
        let wall = ContinuousClock.now - wallStart
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return (seconds, PhaseClock.cpuSeconds() - cpuStart)
    }

    /// User plus system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        let usage = selfUsage()
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The process's peak resident set so far, in kilobytes (Linux reports `ru_maxrss` in KB).
    static func peakResidentKilobytes() -> Int {
        selfUsage().ru_maxrss
    }

    private static func selfUsage() -> rusage {
        var usage = rusage()
        // Glibc imports RUSAGE_SELF as an enum case; getrusage takes its raw value.
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage
    }
}
