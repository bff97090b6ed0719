import Foundation
import Logging
import OutboundStore
import ServiceLifecycle

/// Keeps the served snapshot current. Every `interval` it opens the store again by its
/// location — so a store file replaced, removed or made unreadable is noticed, not hidden by
/// a connection to the old file — reads the head, and when the revision or the store's
/// identity moved, loads the new revision off the request path and publishes it. A store that
/// announces its revisions (PostgreSQL's LISTEN) also wakes it as soon as one commits.
struct RevisionLoader: Service {
    let open: @Sendable () throws -> OutboundStore
    let state: GateState
    let metrics: GateMetrics
    let logger: Logger
    var interval: Duration = .milliseconds(200)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await listen(wake) }
                group.addTask {
                    while !Task.isCancelled {
                        wake.yield()
                        try? await Task.sleep(for: interval)
                    }
                    wake.finish()
                }
                for await _ in wakes { await check() }
                group.cancelAll()
            }
        }
    }

    /// Wakes the loader at each announced revision; returns at once for a store that only
    /// polls. A lost announcement connection is made again a second later (the polling goes on).
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                let store = try await BlockingWork.run { [open] in try open() }
                guard store.backend.announcesRevisions else { return }
                for try await _ in store.revisions(every: .seconds(5)) { wake.yield() }
            } catch {
                // The polling look records why the store cannot be read.
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// One look at the store; a failed read is recorded, never thrown: the server keeps
    /// answering from the last good revision (`--max-stale`).
    func check() async {
        let served = state.snapshot
        do {
            // The snapshot is built there too: grouping and sorting every cell is long work.
            let loaded: GateSnapshot? = try await BlockingWork.run { [open] in
                let store = try open()
                let head = try store.head()
                if head.revision == served.revision, head.storeId == served.storeId { return nil }
                return GateSnapshot(try store.servedRevision())
            }
            state.recordRead(error: nil, at: Date())
            if let loaded {
                state.publish(loaded)
                // The previous snapshot is gone now (or with the last request holding it).
                try? await BlockingWork.run { FreedMemory.release() }
                metrics.revisionLoaded(loaded.revision)
                logger.info("loaded revision", metadata: ["revision": "\(loaded.revision)", "storeId": "\(loaded.storeId)"])
            }
        } catch {
            let first = state.storeHealth.failingSince == nil
            state.recordRead(error: "\(error)", at: Date())
            metrics.reloadFailed()
            if first { logger.error("the store cannot be read; answering from the last good revision", metadata: ["error": "\(error)"]) }
        }
    }
}
