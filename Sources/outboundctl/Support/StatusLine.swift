import Foundation
import OutboundWebex
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one-line status of a `webex` command on a terminal (SPEC §10): requests done, pages
/// read, any wait on a 429. Only on a terminal and never with `--quiet`; redrawn at most ten
/// times a second, and erased by `clear()`, so it never ends up in a log or mixes with results.
final class StatusLine: Sendable {
    private let enabled: Bool
    private let lastDrawn = Mutex<(time: ContinuousClock.Instant, waitingUntil: Date?)?>(nil)

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Draws `activity`, unless a line was drawn less than 0.1 s ago; a new wait on a 429 is
    /// always drawn, since nothing else changes while it lasts.
    @Sendable func show(_ activity: WebexActivity) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = lastDrawn.withLock { last in
            guard last.map({ now - $0.time >= .milliseconds(100) || $0.waitingUntil != activity.waitingUntil }) ?? true else { return false }
            last = (now, activity.waitingUntil)
            return true
        }
        if due { FileHandle.standardError.write(Data(("\r" + activity.line() + "\u{1B}[K").utf8)) }
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
