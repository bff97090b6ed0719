/// Paces requests on the client (SPEC §10 "Rate"): each request is sent at least 60/N seconds
/// after the one before was actually let go, so no 10-second window holds more than N/6 + 1 of
/// them, retries included, however many tasks ask at once and however late a sleep wakes. A
/// 429's wait holds every request back, not only the one refused: the limit is the tenant's,
/// not the request's.
///
/// An actor whose `wait` sleeps inside it: the actor is free while a caller sleeps (a sleep is
/// a suspension, never a blocked thread), and each caller checks again when it wakes, since
/// another may have gone first or a 429 may have come.
actor RequestPacer {
    private let interval: Duration
    private var lastSent: ContinuousClock.Instant?
    private var held: ContinuousClock.Instant?

    init(perMinute: Int) {
        interval = .seconds(60) / max(perMinute, 1)
    }

    /// Returns when this request may be sent, and counts it as sent then.
    func wait() async throws {
        while true {
            let now = ContinuousClock.now
            let start = max(lastSent.map { $0 + interval } ?? now, held ?? now)
            if start <= now {
                lastSent = now
                return
            }
            try await Task.sleep(until: start, clock: .continuous)
        }
    }

    /// Holds every request back until `instant` (a 429's `Retry-After`).
    func hold(until instant: ContinuousClock.Instant) {
        held = max(held ?? instant, instant)
    }
}
