import Foundation
import Logging
import OutboundStore
import ServiceLifecycle

/// Keeps the served snapshot current. Every `interval` it opens the store again by its
/// location — so a store file replaced, removed or made unreadable is noticed, not hidden by
/// a connection to the old file — reads the head, and when the revision or the store's
/// identity moved, loads the new revision off the request path and publishes it.
struct RevisionLoader: Service {
    let open: @Sendable () throws -> OutboundStore
    let state: GateState
    let metrics: GateMetrics
    let logger: Logger
    var interval: Duration = .milliseconds(200)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await check()
                try? await Task.sleep(for: interval)
            }
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
