import Foundation

/// At most `limit` long-polls held at once; each change of the count is reported (to the
/// `outboundctl_long_polls_held` gauge) while the lock is held, so reports arrive in order.
final class LongPollLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var held = 0
    private let report: @Sendable (Int) -> Void
    let limit: Int

    init(limit: Int = 1_000, report: @escaping @Sendable (Int) -> Void) {
        self.limit = limit
        self.report = report
    }

    func enter() -> Bool {
        lock.withLock {
            guard held < limit else { return false }
            held += 1
            report(held)
            return true
        }
    }

    func leave() {
        lock.withLock {
            held -= 1
            report(held)
        }
    }
}
