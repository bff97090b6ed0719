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
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    @Sendable func show(_ activity: WebexActivity) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = lastDrawn.withLock { last in
            guard last.map({ now - $0 >= .milliseconds(100) }) ?? true else { return false }
            last = now
            return true
        }
        if due { FileHandle.standardError.write(Data(("\r" + activity.line() + "\u{1B}[K").utf8)) }
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
