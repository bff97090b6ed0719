import Foundation
import OutboundConfig

/// One JSON line per request on standard error, written on a serial queue of its own: a
/// request only appends its line to a bounded buffer, so a slow or blocked stderr never holds
/// it. Lines that find the buffer full are dropped and counted (`/metrics`).
final class AccessLog: @unchecked Sendable {
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "outboundctl.access-log")
    private var pending: [String] = []
    private var drainScheduled = false
    private var dropped = 0
    private let capacity: Int
    private let onDrop: @Sendable (Int) -> Void

    init(capacity: Int = 10_000, onDrop: @escaping @Sendable (Int) -> Void) {
        self.capacity = capacity
        self.onDrop = onDrop
    }

    func record(_ fields: [(String, JSON)]) {
        let line = JSON.object(fields).rendered() + "\n"
        let schedule: Bool = lock.withLock {
            guard pending.count < capacity else {
                dropped += 1
                return false
            }
            pending.append(line)
            defer { drainScheduled = true }
            return !drainScheduled
        }
        if schedule { queue.async { self.drain() } }
    }

    /// Writes what is buffered; called before exit too.
    func flush() {
        queue.sync { drain() }
    }

    private func drain() {
        let (lines, droppedNow): ([String], Int) = lock.withLock {
            defer {
                pending = []
                dropped = 0
                drainScheduled = false
            }
            return (pending, dropped)
        }
        if droppedNow > 0 { onDrop(droppedNow) }
        guard !lines.isEmpty else { return }
        // A write that fails (standard error closed, a full pipe) loses these lines; it must not
        // stop the server, as `FileHandle.write(_:)` would.
        try? FileHandle.standardError.write(contentsOf: Data(lines.joined().utf8))
    }
}
