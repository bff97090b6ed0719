import Dispatch
import Foundation

/// The store from `async` code (the HTTP server): the engine and its backends do blocking I/O
/// and long CPU work (loading a 50,000-agent revision), which must never run on the
/// cooperative thread pool. `perform` moves it to a Dispatch thread and resumes the caller
/// when it is done.
extension OutboundStore {
    public func perform<T: Sendable>(_ body: @escaping @Sendable (OutboundStore) throws -> T) async throws -> T {
        try await BlockingWork.run { try body(self) }
    }

    /// The store's revision whenever it changes, from any process: the backend's watcher
    /// (polling on SQLite; PostgreSQL can be told). The first element is the current revision.
    public func revisions(every interval: Duration = .milliseconds(250)) -> AsyncThrowingStream<Int, Error> {
        backend.revisionChanges(of: self, every: interval)
    }
}

extension StoreBackend {
    public var announcesRevisions: Bool { false }
    public var asyncReads: (any AsyncStoreReads)? { nil }

    /// The default watcher: a new read transaction every `interval`, yielding each new revision.
    public func revisionChanges(of store: OutboundStore, every interval: Duration) -> AsyncThrowingStream<Int, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var last: Int?
                do {
                    while !Task.isCancelled {
                        let revision = try await store.perform { try $0.currentRevision() }
                        if revision != last {
                            continuation.yield(revision)
                            last = revision
                        }
                        try await Task.sleep(for: interval)
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Blocking or long work from `async` code, on a Dispatch thread: the caller is resumed when
/// it is done, and the cooperative pool (two threads on a two-core machine) stays free.
public enum BlockingWork {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try body() }) }
        }
    }
}
