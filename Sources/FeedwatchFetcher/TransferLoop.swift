internal import CCurl
import Foundation
import Glibc
import Synchronization

/// libcurl's multi interface, driven by one thread of its own.
///
/// `curl_multi_poll` blocks, and the cooperative pool must never block, so every libcurl call happens on
/// this thread. Other threads only append to ``inbox`` (under its mutex) and call `curl_multi_wakeup`,
/// which libcurl documents as safe from any thread.
///
/// Admission: a transfer starts when fewer than `maxConcurrentTransfers` run in total and fewer than
/// `maxConcurrentTransfersPerHost` run against its host (name and port); the rest wait in a queue per
/// host, served round-robin so one slow host cannot starve the others.
final class TransferLoop: @unchecked Sendable {
    // @unchecked: `inbox` is a Mutex; `multi` is only used for curl_multi_wakeup off-thread; every other
    // stored property is touched only by the loop thread.
    private struct Inbox {
        var submitted: [Transfer] = []
        var cancellationRequested = false
        var stopping = false
    }

    private let inbox = Mutex(Inbox())
    private let multi: UnsafeMutableRawPointer
    private let settings: Fetcher.Configuration

    private var waiting: [String: ArraySlice<Transfer>] = [:]
    private var hostsWaiting: [String] = []
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    private var runningPerHost: [String: Int] = [:]

    init(settings: Fetcher.Configuration) {
        _ = curlGlobalInit
        guard let multi = curl_multi_init() else {
            // Only fails when malloc does; nothing sensible can continue without it.
            fatalError("libcurl could not create a multi handle")
        }
        self.multi = multi
        self.settings = settings
        // Keep idle connections for every slot, so the next poll of a host reuses its connection.
        cfw_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(settings.maxConcurrentTransfers * 2, 16))
        let thread = Thread { [self] in run() }
        thread.name = "feedwatch-fetcher"
        thread.start()
    }

    /// Hands a transfer to the loop thread.
    func submit(_ transfer: Transfer) {
        inbox.withLock { $0.submitted.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Asks the loop to look for cancelled transfers.
    func noteCancellation() {
        inbox.withLock { $0.cancellationRequested = true }
        curl_multi_wakeup(multi)
    }

    /// Ends the loop: every transfer still queued or running finishes as cancelled.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (submitted, cancellationRequested, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.submitted.removeAll(keepingCapacity: true)
                    inbox.cancellationRequested = false
                }
                return (inbox.submitted, inbox.cancellationRequested, inbox.stopping)
            }
            if stopping { break }
            submitted.forEach(enqueue)
            if cancellationRequested { finishCancelled() }
            admit()
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            // Finished transfers free slots (and redirects queue their next hop): admit again before sleeping,
            // or a batch of 304s that all end in one perform would leave the queue idle until the timeout.
            if collectFinished() { continue }
            // Sleeps until a socket is ready, libcurl's next timeout, or a wakeup; at most one second.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        shutDown()
    }

    private func enqueue(_ transfer: Transfer) {
        let host = transfer.origin.hostKey
        if waiting[host, default: []].isEmpty { hostsWaiting.append(host) }
        waiting[host, default: []].append(transfer)
    }

    /// Starts waiting transfers while the caps allow, one host at a time in turn.
    private func admit() {
        var index = 0
        var blockedInARow = 0
        while running.count < settings.maxConcurrentTransfers, blockedInARow < hostsWaiting.count {
            if index >= hostsWaiting.count { index = 0 }
            let host = hostsWaiting[index]
            guard runningPerHost[host, default: 0] < settings.maxConcurrentTransfersPerHost,
                let transfer = waiting[host]?.popFirst()
            else {
                blockedInARow += 1
                index += 1
                continue
            }
            blockedInARow = 0
            if waiting[host]?.isEmpty ?? true {
                waiting[host] = nil
                hostsWaiting.remove(at: index)
            } else {
                index += 1
            }
            start(transfer, host: host)
        }
    }

    private func start(_ transfer: Transfer, host: String) {
        if transfer.cancellation.isCancelled {
            transfer.resume(with: transfer.failure(.cancelled))
            return
        }
        if let early = transfer.prepareHop(now: .now) {
            transfer.resume(with: early)
            return
        }
        let code = curl_multi_add_handle(multi, transfer.handle)
        guard code == CURLM_OK else {
            let reason = String(cString: curl_multi_strerror(code))
            transfer.resume(with: transfer.failure(FetchError.network.with(detail: "libcurl: \(reason)")))
            return
        }
        running[transfer.handle] = transfer
        runningPerHost[host, default: 0] += 1
    }

    /// Removes a transfer from the multi handle and frees its slot.
    private func detach(_ transfer: Transfer) {
        curl_multi_remove_handle(multi, transfer.handle)
        running[transfer.handle] = nil
        let host = transfer.origin.hostKey
        runningPerHost[host, default: 1] -= 1
        if runningPerHost[host] == 0 { runningPerHost[host] = nil }
    }

    /// Hands out the results of finished transfers; returns whether any finished.
    private func collectFinished() -> Bool {
        var finishedAny = false
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = running[handle]
            else { continue }
            let code = message.pointee.data.result
            // Free the slot before `conclude`, which may move the transfer to a redirect target's host.
            // The handle keeps its response info and headers after leaving the multi handle.
            detach(transfer)
            finishedAny = true
            let end = transfer.conclude(code, now: Date())
            switch end {
            case .finished(let result): transfer.resume(with: result)
            case .redirect: enqueue(transfer)
            }
        }
        return finishedAny
    }

    private func finishCancelled() {
        for transfer in running.values where transfer.cancellation.isCancelled {
            detach(transfer)
            transfer.resume(with: transfer.failure(.cancelled))
        }
        for host in hostsWaiting {
            let (cancelled, kept) = (waiting[host] ?? []).partitioned { $0.cancellation.isCancelled }
            cancelled.forEach { $0.resume(with: $0.failure(.cancelled)) }
            waiting[host] = kept.isEmpty ? nil : kept
        }
        hostsWaiting.removeAll { waiting[$0] == nil }
    }

    private func shutDown() {
        let leftovers =
            Array(running.values) + waiting.values.flatMap { $0 }
            + inbox.withLock { $0.submitted }
        for transfer in running.values { detach(transfer) }
        waiting = [:]
        hostsWaiting = []
        leftovers.forEach { $0.resume(with: $0.failure(FetchError.cancelled.with(detail: "the fetcher shut down"))) }
        curl_multi_cleanup(multi)
    }
}

extension ArraySlice {
    /// The elements that satisfy `predicate`, and the rest, each in order.
    fileprivate func partitioned(by predicate: (Element) -> Bool) -> (matching: [Element], rest: ArraySlice) {
        var matching: [Element] = []
        var rest = ArraySlice()
        for element in self {
            if predicate(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}

/// `curl_global_init` must run once before any other libcurl call; a lazy global runs it exactly once.
///
/// It also ignores SIGPIPE for the process: with `CURLOPT_NOSIGNAL` (required when libcurl runs off the main
/// thread) libcurl no longer masks it, and OpenSSL writing to a connection the server has closed would
/// otherwise kill the daemon (see the CURLOPT_NOSIGNAL man page). A closed peer then shows as a failed
/// transfer, as it should.
private let curlGlobalInit: Void = {
    signal(SIGPIPE, SIG_IGN)
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()
