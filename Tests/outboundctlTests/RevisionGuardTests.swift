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
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            db.execute("ROLLBACK")
            """, storePath, "4"]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate() }
        guard waitFor("locked", on: out) else { return XCTFail("the lock holder ended") }
        let blocked = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--lock-timeout", "0.5"])
        XCTAssertEqual(blocked.status, 3, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("another apply holds the store"), blocked.stderr)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "1\n")
        // Waiting longer than the other apply holds the lock: it goes through after it.
        let waited = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--lock-timeout", "60"])
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "2\n")
    }
}
