/// Paces requests on the client (SPEC §10 "Rate"): request starts are at least 60/N seconds
/// apart, so no 10-second window holds more than N/6 + 1 of them, retries included, however
/// many tasks ask at once. A 429's wait holds every request back, not only the one refused:
/// the limit is the tenant's, not the request's.
///
/// An actor that hands out start times; callers sleep until theirs outside it, so waiting
/// never holds the actor or blocks a thread.
actor RequestPacer {
    private let interval: Duration
    private var next: ContinuousClock.Instant = .now
    private var held: ContinuousClock.Instant = .now

    init(perMinute: Int) {
        interval = .seconds(60) / max(perMinute, 1)
    }

    /// Sleeps until this request may start. A start handed out before a 429 came is given up
    /// if the 429's wait now covers it, and a later one taken.
    nonisolated func wait() async throws {
        while true {
            let start = await slot()
            try await Task.sleep(until: start, clock: .continuous)
            if await held <= .now { return }
        }
    }

    /// Holds every request back until `instant` (a 429's `Retry-After`).
    func hold(until instant: ContinuousClock.Instant) {
        held = max(held, instant)
        next = max(next, instant)
    }

    private func slot() -> ContinuousClock.Instant {
        let start = max(ContinuousClock.now, next)
        next = start + interval
        return start
    }
}
