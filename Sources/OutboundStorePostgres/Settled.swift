import Foundation

/// Which of two racing outcomes came first: a query's answer or its connection's end
/// (`PostgresConnection.result(of:)`), a pooled connection or its deadline
/// (`PostgresReadPool`). `first()` is true for the first caller only, from any thread.
final class Settled: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func first() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}
