import Foundation
import XCTest

/// Store faults through the real binary: read-only file, full disk, garbage in place of the
/// store. Each ends with a clear message and exit 3, `PRAGMA integrity_check` ok, and the
/// store at its last complete revision. (kill -9 during applies is in the store contract suite,
/// on every backend.)
final class FaultInjectionTests: XCTestCase {
    func testAReadOnlyStoreIsAStoreError() throws {
        let directory = try temporaryDirectory(self)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let binary = productsDirectory.appendingPathComponent("outboundctl").path
        let refused = try runProgram(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "apply", "examples/launch-day", "--store", store, "--yes"])
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("cannot use the store"), refused.stderr)
        XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n")
        XCTAssertEqual(try sqlite(store, "SELECT MAX(number) FROM revisions"), "1\n")
    }

    func testAFullDiskIsAStoreErrorAndWritesNothing() throws {
        let directory = try temporaryDirectory(self)
        let mountPoint = directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        XCTAssertEqual(try runProgram("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint.path]).status, 0, "needs mount (root)")
        defer { _ = try? runProgram("/usr/bin/umount", [mountPoint.path]) }
        let store = mountPoint.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let large = directory.appendingPathComponent("large")
        try generateTenant(agents: 20_000, into: large)
        let full = try outboundctl(["apply", large.path, "--store", store, "--yes"])
        XCTAssertEqual(full.status, 3, full.stderr)
        XCTAssertTrue(full.stderr.contains("full"), full.stderr)
        XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n")
        XCTAssertEqual(try sqlite(store, "SELECT MAX(number) FROM revisions"), "1\n")
        XCTAssertEqual(try outboundctl(["plan", "examples/acme", "--store", store, "--detailed-exitcode"]).status, 0)
    }

    func testGarbageInPlaceOfTheStore() throws {
        let directory = try temporaryDirectory(self)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: store))
        for arguments in [["history"], ["matrix"], ["plan", "examples/acme"], ["apply", "examples/acme"], ["explain", "ana.silva"]] {
            let result = try outboundctl(arguments + ["--store", store])
            XCTAssertEqual(result.status, 3, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("error: cannot use the store"), result.stderr)
        }
    }
}
