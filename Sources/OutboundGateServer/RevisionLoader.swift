import Foundation
import Logging
import OutboundStore
import ServiceLifecycle

/// Keeps the served snapshot current. Every `interval` it opens the store again by its
/// location — so a store file replaced, removed or made unreadable is noticed, not hidden by
/// a connection to the old file — reads the head, and when the revision moved, loads the
/// cells the new revisions wrote and removed (however many landed since the last look, in one
/// step) and publishes the served snapshot with them; a new store identity is loaded whole. A store that
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
        let started = ContinuousClock.now
        do {
            // Built there too: applying changes (or a whole store) to a snapshot is CPU work.
            let loaded: (snapshot: GateSnapshot, changes: Int?)? = try await BlockingWork.run { [open] in
                let limit = max(Self.fewestChangesForWholeLoad, served.cellCount / 4)
                guard let changes = try open().servedChanges(from: served.head, limit: limit, whole: served.isWasteful) else { return nil }
                if changes.base == nil { return (GateSnapshot(whole: changes), nil) }
                return (served.applying(changes), changes.changed.count + changes.removed.count)
            }
            state.recordRead(error: nil, at: Date())
            if let (snapshot, changes) = loaded {
                state.publish(snapshot)
                let took = ContinuousClock.now - started
                // A whole load replaced every page: give the old ones back to the system (the
                // previous snapshot is gone now, or with the last request holding it).
                if changes == nil { try? await BlockingWork.run { FreedMemory.release() } }
                metrics.revisionLoaded(snapshot)
                logger.info(
                    "loaded revision",
                    metadata: [
                        "revision": "\(snapshot.revision)", "storeId": "\(snapshot.storeId)",
                        "cellsChanged": changes.map { "\($0)" } ?? "all",
                        "loadMs": "\(took.components.seconds * 1_000 + took.components.attoseconds / 1_000_000_000_000_000)",
                    ])
            }
        } catch {
            let first = state.storeHealth.failingSince == nil
            state.recordRead(error: "\(error)", at: Date())
            metrics.reloadFailed()
            if first { logger.error("the store cannot be read; answering from the last good revision", metadata: ["error": "\(error)"]) }
        }
    }

    /// Below this many changed cells a revision is always loaded from its change records;
    /// above, once they pass a quarter of the cells, reading the whole store is as cheap.
    static let fewestChangesForWholeLoad = 10_000
}
