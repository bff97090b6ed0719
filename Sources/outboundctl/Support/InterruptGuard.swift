#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT, SIGTERM) during a write, told truthfully. Until the store starts to commit,
/// the process ends at once and says that nothing was written: an uncommitted SQLite
/// transaction leaves the store as it was. While the commit runs, the signal waits for it,
/// and the command then says which revision was written before it stops.
enum InterruptGuard {
    private static let state = Atomic<Int32>(State.idle)
    private static let pending = Atomic<Int32>(0)

    private enum State {
        static let idle: Int32 = 0
        static let writing: Int32 = 1
        static let committing: Int32 = 2
    }

    /// Runs `body` with the guard armed; `body` calls `willCommit` just before its commit.
    static func whileWriting<T>(_ body: (_ willCommit: @escaping () -> Void) throws -> T) rethrows -> T {
        state.store(State.writing, ordering: .sequentiallyConsistent)
        let handler: @convention(c) (Int32) -> Void = { signal in
            if InterruptGuard.state.load(ordering: .sequentiallyConsistent) == State.committing {
                InterruptGuard.pending.store(signal, ordering: .sequentiallyConsistent)
                return
            }
            let message = "\ninterrupted: nothing was written; the store is as it was\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            _exit(128 + signal)
        }
        let previousInterrupt = Glibc.signal(SIGINT, handler)
        let previousTerminate = Glibc.signal(SIGTERM, handler)
        defer {
            state.store(State.idle, ordering: .sequentiallyConsistent)
            _ = Glibc.signal(SIGINT, previousInterrupt)
            _ = Glibc.signal(SIGTERM, previousTerminate)
        }
        return try body { state.store(State.committing, ordering: .sequentiallyConsistent) }
    }

    /// After a commit: a signal that arrived during it ends the process now, saying what was written.
    static func honourPendingSignal(written revision: Int?) {
        let signal = pending.exchange(0, ordering: .sequentiallyConsistent)
        guard signal != 0 else { return }
        printError(revision.map { "interrupted: revision \($0) was written before the interrupt took effect" }
                   ?? "interrupted: nothing was written; the store is as it was")
        exit(128 + signal)
    }
}
