import Foundation
import OutboundConfig

/// One JSON line per request on standard error, written by a thread of its own: a request
/// only appends its line to a bounded buffer, so a slow or blocked stderr never holds it.
/// Lines that find the buffer full are dropped and counted (`/metrics`).
final class AccessLog: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [String] = []
    private var dropped = 0
    private let capacity: Int
    private let onDrop: @Sendable (Int) -> Void

    init(capacity: Int = 10_000, onDrop: @escaping @Sendable (Int) -> Void) {
        self.capacity = capacity
        self.onDrop = onDrop
        let thread = Thread { [unowned self] in self.drain() }
        thread.name = "access-log"
        thread.start()
    }

    func record(_ fields: [(String, JSON)]) {
        let line = JSON.object(fields).rendered() + "\n"
        condition.lock()
        if pending.count < capacity {
            pending.append(line)
            condition.signal()
        } else {
            dropped += 1
        }
        condition.unlock()
    }

    /// Writes what is buffered now; used before exit.
    func flush() {
        condition.lock()
        let lines = pending
        pending = []
        condition.unlock()
        write(lines)
    }

    private func drain() {
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            let lines = pending
            pending = []
            let droppedNow = dropped
            dropped = 0
            condition.unlock()
            if droppedNow > 0 { onDrop(droppedNow) }
            write(lines)
        }
    }

    private func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        FileHandle.standardError.write(Data(lines.joined().utf8))
    }
}
