import Foundation

extension Process {
    /// Calls `handler` once the process has ended, after letting Foundation drop what it keeps for it.
    ///
    /// In swift-corelibs-foundation a running `Process` and its run-loop source hold each other, and only
    /// `waitUntilExit()` breaks the cycle; a process observed through `terminationHandler` alone is never
    /// freed (LeakSanitizer reports each one under `scripts/sanitize address`). The handler runs after the
    /// process is marked ended, so `waitUntilExit()` returns at once there.
    func onExit(_ handler: @escaping @Sendable () -> Void = {}) {
        terminationHandler = { process in
            process.waitUntilExit()
            handler()
        }
    }
}
