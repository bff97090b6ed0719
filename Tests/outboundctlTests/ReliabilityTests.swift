import Foundation
import XCTest

/// SPEC §5 "Safe": kill -9 mid-apply, concurrent applies and a lock held past the busy
/// timeout, through the real binary and real files.
final class ReliabilityTests: XCTestCase {
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("outboundctl")
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testKillDuringALargeApplyLeavesThePreviousRevisionIntact() throws {
        let directory = try temporaryDirectory(self)
        let tenant = directory.appendingPathComponent("tenant").path
        try generateTenant(agents: 50_000, into: URL(fileURLWithPath: tenant))

        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let before = try sqlite(store, "SELECT COUNT(*), SUM(available) FROM outbound_availability")

        // Kill once the write transaction is under way: its pages are reaching the WAL.
        let apply = try start(["apply", tenant, "--store", store, "--yes"])
        let wal = store + "-wal"
        let writing = eventually(within: 300, every: 0.005) {
            !apply.isRunning || ((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) > 2_000_000
        }
        XCTAssertTrue(writing, "the apply's pages reached the WAL within 300 s")
        kill(apply.processIdentifier, SIGKILL)
        apply.waitUntilExit()
        XCTAssertEqual(apply.terminationReason, .uncaughtSignal, "the apply must still have been running")

        XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n")
        XCTAssertEqual(try sqlite(store, "SELECT MAX(number) FROM revisions"), "1\n")
        XCTAssertEqual(try sqlite(store, "SELECT COUNT(*), SUM(available) FROM outbound_availability"), before)
        XCTAssertEqual(try outboundctl(["plan", "examples/acme", "--store", store, "--detailed-exitcode"]).status, 0)
    }

    func testConcurrentAppliesSerialise() throws {
        let directory = try temporaryDirectory(self)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/launch-day", "--store", store]).status, 0)
        let first = try start(["apply", "examples/acme", "--store", store, "--yes", "-m", "acme"])
        let second = try start(["apply", "examples/launch-day", "--store", store, "--yes", "-m", "launch"])
        first.waitUntilExit()
        second.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(second.terminationStatus, 0)
        XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n")
        let revisions = try sqlite(store, "SELECT number FROM revisions ORDER BY number").split(separator: "\n").map(String.init)
        let expected = (1...revisions.count).map(String.init)
        XCTAssertEqual(revisions, expected, "revisions are sequential")
        let last = try sqlite(store, "SELECT message FROM revisions ORDER BY number DESC LIMIT 1").trimmingCharacters(in: .newlines)
        let winner = revisions.count == 2 ? "examples/acme" : (last == "acme" ? "examples/acme" : "examples/launch-day")
        XCTAssertEqual(
            try outboundctl(["plan", winner, "--store", store, "--detailed-exitcode"]).status, 0,
            "the store holds exactly the last applied configuration, nothing half-written")
    }

    func testALockHeldPastTheLockTimeoutIsAStoreError() throws {
        let directory = try temporaryDirectory(self)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The holder keeps its lock until its standard input closes.
        holder.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            """, store,
        ]
        let ready = Pipe()
        let release = Pipe()
        holder.standardOutput = ready
        holder.standardInput = release
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        guard waitFor("locked", on: ready) else { return XCTFail("the lock holder ended before it took the lock") }
        let started = Date()
        let blocked = try outboundctl(["apply", "examples/launch-day", "--store", store, "--yes", "--lock-timeout", "3"])
        XCTAssertEqual(blocked.status, 3, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("another apply holds the store"), blocked.stderr)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 2.5, "it waited for the lock timeout")
        XCTAssertTrue(holder.isRunning, "the lock was held the whole time")
        try release.fileHandleForWriting.close()
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        XCTAssertEqual(try sqlite(store, "SELECT MAX(number) FROM revisions"), "1\n")
    }
}
