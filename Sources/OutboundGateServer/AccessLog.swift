import Foundation
import OutboundConfig

/// One JSON line per request on standard error, written on a serial queue of its own: a
/// request only appends its line to a bounded buffer, so a slow or blocked stderr never holds
/// it. Lines that find the buffer full are dropped and counted (`/metrics`) at once: the drain
/// that could report them may be the very thing stuck in a blocked write.
final class AccessLog: @unchecked Sendable {
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "outboundctl.access-log")
    private var pending: [String] = []
    private var drainScheduled = false
    private let capacity: Int
    private let onDrop: @Sendable (Int) -> Void
    private let write: @Sendable (Data) -> Void

    /// `write` gets the buffered lines (standard error unless a test reads them).
    init(
        capacity: Int = 10_000, onDrop: @escaping @Sendable (Int) -> Void,
        write: @escaping @Sendable (Data) -> Void = { try? FileHandle.standardError.write(contentsOf: $0) }
    ) {
        self.capacity = capacity
        self.onDrop = onDrop
        self.write = write
    }

    func record(_ fields: [(String, JSON)]) {
        let line = JSON.object(fields).rendered() + "\n"
        let outcome: Outcome = lock.withLock {
            guard pending.count < capacity else { return .dropped }
            pending.append(line)
            defer { drainScheduled = true }
            return drainScheduled ? .buffered : .bufferedFirst
        }
        switch outcome {
        case .dropped: onDrop(1)
        case .bufferedFirst: queue.async { self.drain() }
        case .buffered: break
        }
    }

    /// Writes what is buffered; called before exit too.
    func flush() {
        queue.sync { drain() }
    }

    private enum Outcome { case dropped, buffered, bufferedFirst }

    private func drain() {
        let lines: [String] = lock.withLock {
            defer {
                pending = []
                drainScheduled = false
            }
            return pending
        }
        guard !lines.isEmpty else { return }
        // A write that fails (standard error closed, a full pipe) loses these lines; it must not
        // stop the server, as `FileHandle.write(_:)` would.
        write(Data(lines.joined().utf8))
    }
}
