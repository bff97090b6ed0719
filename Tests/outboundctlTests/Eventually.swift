import Foundation

/// Whether `condition` holds within `seconds`, asked at once and then every `pause` seconds
/// (50 ms) until the deadline. The tests wait this way for what they need (a line said, a lock
/// held, a long-poll held, a process ended), never for time to pass: the pause here only spaces
/// the questions. Callers fail with what they waited for, as in
/// `XCTAssertTrue(eventually(within: 10) { … }, "the long-poll is held")`.
func eventually(within seconds: TimeInterval = 2, every pause: TimeInterval = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: pause)
    } while Date() < deadline
    return try condition()
}

/// Whether the process `pid` has `path` open (Linux: a link in `/proc/PID/fd`): a helper or
/// `outboundctl` that has reached a store, not only started.
func isOpen(_ path: String, by pid: Int32) -> Bool {
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let directory = "/proc/\(pid)/fd"
    guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
    return descriptors.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)")) == target }
}
