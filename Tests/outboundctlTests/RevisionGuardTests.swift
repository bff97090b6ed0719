import Foundation
import XCTest

/// `apply --expect-revision` and `--lock-timeout`, through the real binary and a real store.
final class RevisionGuardTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("outbound.sqlite").path }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", storePath]).status, 0)
    }

    func testExpectRevisionRefusesAStoreThatMoved() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let refused = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--expect-revision", "0", "--format", "json"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual((refused.json?["error"] as? [String: Any])?["code"] as? String, "store-moved")
        XCTAssertTrue(refused.stderr.contains("the store moved: it is at revision 1, not 0"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: storePath)), before, "nothing written")
        let accepted = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--expect-revision", "1"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "2\n")
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", storePath, "--lock-timeout", "-1"]).status, 64)
    }

    func testLockTimeoutBoundsTheWaitForAnotherApply() throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Another apply: it holds the write lock until its standard input closes.
        holder.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            db.execute("ROLLBACK")
            """, storePath,
        ]
        let out = Pipe()
        let release = Pipe()
        holder.standardOutput = out
        holder.standardInput = release
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        guard waitFor("locked", on: out) else { return XCTFail("the lock holder ended") }
        let blocked = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--lock-timeout", "0.5"])
        XCTAssertEqual(blocked.status, 3, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("another apply holds the store"), blocked.stderr)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "1\n")
        // Waiting longer than the other apply holds the lock: it goes through after it. The
        // lock is released only once this apply has the store open, waiting for it.
        let waiting = Process()
        waiting.executableURL = productsDirectory.appendingPathComponent("outboundctl")
        waiting.arguments = ["apply", "examples/launch-day", "--store", storePath, "--yes", "--lock-timeout", "60"]
        waiting.currentDirectoryURL = repositoryRoot
        let said = Pipe()
        waiting.standardOutput = FileHandle.nullDevice
        waiting.standardError = said
        try waiting.run()
        defer { if waiting.isRunning { waiting.terminate() } }
        XCTAssertTrue(
            eventually(within: 30) { isOpen(storePath, by: waiting.processIdentifier) || !waiting.isRunning },
            "the second apply reached the store")
        XCTAssertTrue(waiting.isRunning, "the second apply waits while the lock is held")
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "1\n", "nothing written while the lock is held")
        try release.fileHandleForWriting.close()
        holder.waitUntilExit()
        let complaint = String(decoding: said.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waiting.waitUntilExit()
        XCTAssertEqual(waiting.terminationStatus, 0, complaint)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "2\n")
    }
}
