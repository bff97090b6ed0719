import Foundation
import OutboundStore
import PostgresNIO

extension PostgresBackend {
    /// The revision whenever it changes, from any machine: a connection of its own LISTENs on
    /// `outboundctl_revision` and looks at the store when a notice names this schema (other
    /// schemas' notices are other tenants' applies). A notice can be missed only with the
    /// connection, which ends the stream with the error; a look every `interval` is the fallback.
    /// The looks go over the listening connection too, so a watcher holds one connection and no
    /// thread.
    public func revisionChanges(of store: OutboundStore, every interval: Duration) -> AsyncThrowingStream<Int, Error> {
        let (connections, url, reads) = (connections, url, PostgresReads(schema: schema))
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let listener = try await connections.connectListener()
                    do {
                        try await Self.watch(listener, reads: reads, url: url, every: interval, continuation)
                        try? await listener.close()
                    } catch {
                        try? await listener.close()
                        throw error
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(
                        throwing: Task.isCancelled || error is CancellationError
                            ? nil
                            : (error as? StoreError ?? PostgresErrors.storeError(error, url)))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Yields the current revision, then looks again at each notice for `url.schema` and every
    /// `interval`, yielding each new revision; returns when cancelled.
    private static func watch(
        _ listener: PostgresConnection, reads: PostgresReads, url: PostgresURL, every interval: Duration,
        _ continuation: AsyncThrowingStream<Int, Error>.Continuation
    ) async throws {
        try await listener.listen(on: channel) { notifications in
            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notice in notifications where notice.payload == url.schema { wake.yield() }
                    throw StoreError.unreadable(url.location, "the connection listening for new revisions was closed")
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: interval)
                        wake.yield()
                    }
                }
                group.addTask {
                    var last: Int?
                    var iterator = wakes.makeAsyncIterator()
                    repeat {
                        let revision = try await PostgresAsyncSession(connection: listener, reads: reads).currentRevision()
                        if revision != last {
                            continuation.yield(revision)
                            last = revision
                        }
                    } while await iterator.next() != nil
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// This backend tells watchers of new revisions as they commit.
    public var announcesRevisions: Bool { true }
}
