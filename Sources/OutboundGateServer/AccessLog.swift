import Foundation
import OutboundConfig

/// One JSON line per request on standard error, written on a serial queue of its own: a
/// request only appends its line's bytes to a bounded buffer, so a slow or blocked stderr
/// never holds it. Lines that find the buffer full are dropped and counted (`/metrics`) at
/// once: the drain that could report them may be the very thing stuck in a blocked write.
///
/// The drain gathers lines for `batching` (10 ms) before writing: waking the writer's thread
/// for each line (a semaphore post and a context switch per request) was a tenth of a single
/// check's CPU. It waits with `usleep` on its own serial queue, not with a Dispatch timer:
/// under libfaketime (the tests that move serve's clock) Dispatch timers never fire.
final class AccessLog: @unchecked Sendable {
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "outboundctl.access-log")
    private var pending: [UInt8] = []
    private var pendingLines = 0
    private var drainScheduled = false
    private let capacity: Int
    private let batching: useconds_t = 10_000
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

    /// A line of `fields` (swift-log's lines, and tests).
    func record(_ fields: [(String, JSON)]) {
        record(line: Array((JSON.object(fields).rendered() + "\n").utf8))
    }

    /// A line already written as JSON, ending in a newline.
    func record(line: [UInt8]) {
        let outcome: Outcome = lock.withLock {
            guard pendingLines < capacity else { return .dropped }
            pending += line
            pendingLines += 1
            defer { drainScheduled = true }
            return drainScheduled ? .buffered : .bufferedFirst
        }
        switch outcome {
        case .dropped: onDrop(1)
        case .bufferedFirst:
            queue.async {
                usleep(self.batching)
                self.drain()
            }
        case .buffered: break
        }
    }

    /// Writes what is buffered; called before exit too.
    func flush() {
        queue.sync { drain() }
    }

    private enum Outcome { case dropped, buffered, bufferedFirst }

    private func drain() {
        let bytes: [UInt8] = lock.withLock {
            defer {
                pending = []
                pendingLines = 0
                drainScheduled = false
            }
            return pending
        }
        guard !bytes.isEmpty else { return }
        // A write that fails (standard error closed, a full pipe) loses these lines; it must not
        // stop the server, as `FileHandle.write(_:)` would.
        write(Data(bytes))
    }
}

/// An access-log line written straight to bytes, in the order of SPEC §6: building it as a
/// `JSON` value first cost an allocation per field.
struct AccessLogLine {
    private(set) var bytes: [UInt8] = []

    init(time: Date, method: String, path: String, status: Int, nanoseconds: Int64, revision: Int, requestId: String) {
        bytes.reserveCapacity(160 + path.utf8.count)
        bytes.write("{\"time\":\"")
        Self.timestamp(time, into: &bytes)
        bytes.write("\",\"method\":")
        JSON.escape(method, into: &bytes)
        bytes.write(",\"path\":")
        JSON.escape(path, into: &bytes)
        bytes.write(",\"status\":")
        bytes += String(status).utf8
        bytes.write(",\"durationMs\":")
        Self.milliseconds(nanoseconds, into: &bytes)
        bytes.write(",\"revision\":")
        bytes += String(revision).utf8
        bytes.write(",\"requestId\":")
        JSON.escape(requestId, into: &bytes)
        bytes.write("}\n")
    }

    /// `LicenceWindow.text`'s form, `YYYY-MM-DDTHH:MM:SSZ`, as digits.
    static func timestamp(_ instant: Date, into bytes: inout [UInt8]) {
        var seconds = time_t(instant.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Milliseconds rounded to the microsecond, as a JSON number (`0.228`, `12.5`, `3.0`).
    static func milliseconds(_ nanoseconds: Int64, into bytes: inout [UInt8]) {
        let micros = (max(0, nanoseconds) + 500) / 1_000
        bytes += String(micros / 1_000).utf8
        bytes.append(UInt8(ascii: "."))
        var fraction = Int(micros % 1_000)
        guard fraction > 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var width = 3
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let text = String(fraction)
        bytes += repeatElement(UInt8(ascii: "0"), count: width - text.utf8.count)
        bytes += text.utf8
    }
}
