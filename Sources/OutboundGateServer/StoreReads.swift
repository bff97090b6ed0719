import Foundation
import OutboundConfig
import OutboundStore

/// The store reads of request paths — explain, a change feed older than memory holds, the
/// console's pages — at most `concurrent` at once: on PostgreSQL each awaits its answers on a
/// connection of the async pool (`concurrent` connections at most, no thread held), on SQLite
/// each runs on a Dispatch thread. Up to `queueLimit` more wait their turn, first come first
/// served; past that a request is answered 503 with `Retry-After` at once. So however many
/// such requests arrive, a serve holds at most `concurrent` reading connections or threads
/// (plus the loader's and the LISTEN's: docs/serve.md).
final class StoreReads: @unchecked Sendable {
    let open: @Sendable () throws -> OutboundStore
    /// The store opened at start, when its reads are async (PostgreSQL): used as it is, where
    /// a SQLite file is opened anew for each read (a file replaced is then noticed).
    let kept: OutboundStore?
    let concurrent: Int
    let queueLimit: Int
    private let lock = NSLock()
    private var running = 0
    private var waiting: [(id: UUID, turn: CheckedContinuation<Void, Error>)] = []
    private let report: @Sendable (_ running: Int, _ waiting: Int) -> Void

    init(
        open: @escaping @Sendable () throws -> OutboundStore, kept: OutboundStore? = nil, concurrent: Int, queueLimit: Int,
        report: @escaping @Sendable (_ running: Int, _ waiting: Int) -> Void = { _, _ in }
    ) {
        self.open = open
        self.kept = kept
        self.concurrent = max(1, concurrent)
        self.queueLimit = max(0, queueLimit)
        self.report = report
    }

    /// `body` with the store, in turn. Its errors come back as API errors: a gate refusal as
    /// itself (404, 400), `StoreError.unknownRevision` unchanged for the caller to word, any
    /// other as 503 `store-unavailable`.
    func run<T: Sendable>(_ body: @escaping @Sendable (OutboundStore) async throws -> T) async throws -> T {
        try await takeTurn()
        defer { endTurn() }
        do {
            if let kept { return try await body(kept) }
            return try await body(try await BlockingWork.run { [open] in try open() })
        } catch let refusal as GateRefusal {
            throw APIError(refusal)
        } catch let error as StoreError {
            if case .unknownRevision = error { throw error }
            throw APIError.storeUnavailable("the store cannot be read: \(error)")
        } catch {
            throw APIError.storeUnavailable("the store cannot be read: \(error)")
        }
    }

    private func takeTurn() async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (turn: CheckedContinuation<Void, Error>) in
                let now: Result<Void, Error>? = lock.withLock {
                    if running < concurrent {
                        running += 1
                    } else if Task.isCancelled {
                        return .failure(CancellationError())
                    } else if waiting.count < queueLimit {
                        waiting.append((id, turn))
                        report(running, waiting.count)
                        return nil
                    } else {
                        return .failure(
                            APIError(
                                status: .serviceUnavailable, code: "store-unavailable",
                                message: "too many store reads waiting (\(queueLimit)); retry", headers: [.retryAfter: "1"]))
                    }
                    report(running, waiting.count)
                    return .success(())
                }
                if let now { turn.resume(with: now) }
            }
        } onCancel: {
            let turn = lock.withLock {
                guard let index = waiting.firstIndex(where: { $0.id == id }) else { return nil as CheckedContinuation<Void, Error>? }
                defer { report(running, waiting.count) }
                return waiting.remove(at: index).turn
            }
            turn?.resume(throwing: CancellationError())
        }
    }

    /// Hands the turn to the first waiting read, if any.
    private func endTurn() {
        let next = lock.withLock {
            defer { report(running, waiting.count) }
            guard !waiting.isEmpty else {
                running -= 1
                return nil as CheckedContinuation<Void, Error>?
            }
            return waiting.removeFirst().turn
        }
        next?.resume()
    }
}
