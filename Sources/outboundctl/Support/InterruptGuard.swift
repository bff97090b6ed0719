import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT, SIGTERM) during a command that writes, told truthfully. Until the store
/// starts to commit, the process ends at once and says that nothing was written: an
/// uncommitted SQLite transaction leaves the store as it was. From the commit on, a signal
/// waits for it, and the command then says which revision was written before it stops.
enum InterruptGuard {
    private static let deferring = Atomic<Bool>(false)
    private static let pending = Atomic<Int32>(0)
    private static let written = Atomic<Int>(0)

    /// Installs the handlers for the rest of the process (`apply`, `rollback`).
    static func arm() {
        let handler: @convention(c) (Int32) -> Void = { signal in
            if InterruptGuard.deferring.load(ordering: .sequentiallyConsistent) {
                InterruptGuard.pending.store(signal, ordering: .sequentiallyConsistent)
                return
            }
            let message = "\ninterrupted: nothing was written; the store is as it was\n"
            _ = message.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
            _exit(128 + signal)
        }
        _ = signal(SIGINT, handler)
        _ = signal(SIGTERM, handler)
    }

    /// Runs a write; `body` calls `willCommit` just before its commit, and returns the
    /// revision it wrote (nil when it wrote none).
    static func writing<T>(_ body: (_ willCommit: () -> Void) throws -> T, revision: (T) -> Int?) rethrows -> T {
        do {
            let result = try body { deferring.store(true, ordering: .sequentiallyConsistent) }
            settle(revision(result))
            return result
        } catch {
            settle(nil)
            throw error
        }
    }

    private static func settle(_ revision: Int?) {
        if let revision {
            written.store(revision, ordering: .sequentiallyConsistent)
        } else {
            deferring.store(false, ordering: .sequentiallyConsistent)
        }
        honourPendingSignal()
    }

    /// A signal that arrived while it had to wait ends the process now, saying what was
    /// written (also called by `finish` after the output).
    static func honourPendingSignal() {
        let signal = pending.exchange(0, ordering: .sequentiallyConsistent)
        guard signal != 0 else { return }
        let revision = written.load(ordering: .sequentiallyConsistent)
        printError(
            revision > 0
                ? "interrupted: revision \(revision) was written before the interrupt took effect"
                : "interrupted: nothing was written; the store is as it was")
        exit(128 + signal)
    }
}
