import Dispatch
import Foundation

/// What a signal asks the daemon to do.
public enum DaemonSignal: Sendable, Equatable {
    /// SIGHUP: reload the config and reopen the alert log.
    case reload
    /// SIGTERM or SIGINT: stop gracefully.
    case stop
}

/// Turns SIGHUP, SIGTERM and SIGINT into calls of a handler on a dispatch queue, instead of
/// running code in a signal handler, where almost nothing is safe.
///
/// The signals' default actions are turned off (`SIG_IGN`) while the listener lives, as
/// `DispatchSourceSignal` requires, and restored when it is cancelled.
final class SignalListener: @unchecked Sendable {
    /// Immutable after `init`; dispatch sources are thread-safe.
    private let sources: [any DispatchSourceSignal]
    private static let handled: [(Int32, DaemonSignal)] = [(SIGHUP, .reload), (SIGTERM, .stop), (SIGINT, .stop)]

    init(
        queue: DispatchQueue = DispatchQueue(label: "feedwatch.signals"),
        handler: @escaping @Sendable (DaemonSignal) -> Void
    ) {
        sources = SignalListener.handled.map { number, meaning in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(meaning) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for (number, _) in SignalListener.handled { signal(number, SIG_DFL) }
    }
}

/// A sleep that ends at its deadline or as soon as ``wake()`` is called, whichever comes first;
/// how the scheduling loop waits for the next due feed while staying responsive to signals.
actor Alarm {
    private var sleeper: CheckedContinuation<Void, Never>?
    private var timer: Task<Void, Never>?
    /// A wake that came while nobody slept is kept, so a signal between two sleeps is not lost.
    private var pendingWake = false
    /// Which sleep a timer belongs to, so a late timer cannot end a later sleep.
    private var generation = 0

    /// Sleeps for `duration` at most.
    func sleep(for duration: Duration) async {
        if pendingWake {
            pendingWake = false
            return
        }
        await withCheckedContinuation { continuation in
            sleeper = continuation
            generation += 1
            let mine = generation
            timer = Task {
                try? await Task.sleep(for: duration)
                self.ring(generation: mine)
            }
        }
    }

    /// Ends the current sleep now, or the next one at once if nobody is sleeping.
    func wake() {
        if sleeper == nil { pendingWake = true }
        ring(generation: generation)
    }

    private func ring(generation ringing: Int) {
        guard ringing == generation else { return }
        timer?.cancel()
        timer = nil
        sleeper?.resume()
        sleeper = nil
    }
}
