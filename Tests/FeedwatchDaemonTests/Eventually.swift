import Foundation

/// Checks `condition` every 20 ms until it holds or `timeout` seconds pass; returns whether it held.
/// Sleeps without holding a thread, as the cooperative pool is small.
func eventually(timeout: Double, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
