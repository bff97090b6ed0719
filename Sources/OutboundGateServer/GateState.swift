import Foundation

/// The server's one mutable value: the snapshot being served and the store's health. Requests
/// read it under a lock held for a pointer copy; the loader swaps it and wakes the requests
/// waiting for a newer revision (`minRevision`, long-polls).
final class GateState: @unchecked Sendable {
    struct Health {
        /// When the first of the current run of failed store reads happened; nil when the last read worked.
        var failingSince: Date?
        var lastError: String?
    }

    private let lock = NSLock()
    private var current: GateSnapshot
    private var health = Health()
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    init(_ snapshot: GateSnapshot) {
        current = snapshot
    }

    var snapshot: GateSnapshot { lock.withLock { current } }
    var storeHealth: Health { lock.withLock { health } }

    func publish(_ snapshot: GateSnapshot) {
        let woken = lock.withLock {
            current = snapshot
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    func recordRead(error: String?, at now: Date) {
        lock.withLock {
            if let error {
                if health.failingSince == nil { health.failingSince = now }
                health.lastError = error
            } else {
                health = Health()
            }
        }
    }

    /// Waits until the served revision is at least `revision`, at most `timeout`; returns the
    /// snapshot then served. Ends early on cancellation.
    func snapshot(atLeast revision: Int, within timeout: Duration) async -> GateSnapshot {
        let deadline = ContinuousClock.now + timeout
        while true {
            let served = snapshot
            if served.revision >= revision || ContinuousClock.now >= deadline || Task.isCancelled { return served }
            await waitForPublish(of: revision, until: deadline)
        }
    }

    /// Suspends until the next `publish`, the deadline, or cancellation; at once when
    /// `revision` was published since the caller looked (checked under the lock `publish` takes).
    private func waitForPublish(of revision: Int, until deadline: ContinuousClock.Instant) async {
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            self?.wake(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = lock.withLock {
                    if current.revision >= revision || Task.isCancelled || ContinuousClock.now >= deadline { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        timer.cancel()
    }

    private func wake(_ id: UUID) {
        lock.withLock { waiters.removeValue(forKey: id) }?.resume()
    }
}
