import Foundation
import XCTest

/// Store faults through the real binary: read-only file, full disk, garbage in place of the
/// store, and kill -9 at random points of applies. Each ends with a clear message and exit 3
/// (or a clean kill), `PRAGMA integrity_check` ok, and the store at its last complete revision.
final class FaultInjectionTests: XCTestCase {
    private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func generate(agents: Int, into directory: URL) throws {
        XCTAssertEqual(try run(productsDirectory.appendingPathComponent("outboundctl-bench").path,
                               ["generate", "--agents", String(agents), directory.path]), 0)
    }

    func testAReadOnlyStoreIsAStoreError() throws {
        let directory = try temporaryDirectory(self)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let binary = productsDirectory.appendingPathComponent("outboundctl").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "apply", "examples/launch-day", "--store", store, "--yes"]
        process.currentDirectoryURL = repositoryRoot
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 3, message)
        XCTAssertTrue(message.contains("cannot use the store"), message)
        XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n")
        XCTAssertEqual(try sqlite(store, "SELECT MAX(number) FROM revisions"), "1\n")
    }

    func testAFullDiskIsAStoreErrorAndWritesNothing() throws {
        let directory = try temporaryDirectory(self)
        let mountPoint = directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        XCTAssertEqual(try run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint.path]), 0, "needs mount (root)")
        defer { _ = try? run("/usr/bin/umount", [mountPoint.path]) }
        let store = mountPoint.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let large = directory.appendingPathComponent("large")
        try generate(agents: 20_000, into: large)
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

    func testKillsAtRandomPointsNeverLeaveAHalfWrittenStore() throws {
        let directory = try temporaryDirectory(self)
        let configurations = [directory.appendingPathComponent("a"), directory.appendingPathComponent("b")]
        try generate(agents: 2_000, into: configurations[0])
        try generate(agents: 2_300, into: configurations[1])
        var expected: [String] = []
        for (index, configuration) in configurations.enumerated() {
            let reference = directory.appendingPathComponent("reference-\(index).sqlite").path
            XCTAssertEqual(try outboundctl(["apply", configuration.path, "--store", reference]).status, 0)
            expected.append(try sqlite(reference, "SELECT agent_id, team_id, channel, available, reasons FROM outbound_availability ORDER BY 1, 2, 3"))
        }
        let store = directory.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try outboundctl(["apply", configurations[0].path, "--store", store]).status, 0)
        let binary = productsDirectory.appendingPathComponent("outboundctl").path
        var killed = 0
        for iteration in 0..<50 {
            let target = configurations[(iteration + 1) % 2]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["apply", target.path, "--store", store, "--yes"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.8))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            XCTAssertEqual(try sqlite(store, "PRAGMA integrity_check"), "ok\n", "iteration \(iteration)")
            let availability = try sqlite(store, "SELECT agent_id, team_id, channel, available, reasons FROM outbound_availability ORDER BY 1, 2, 3")
            let matches = expected.firstIndex(of: availability)
            XCTAssertNotNil(matches, "iteration \(iteration): the availability is exactly one complete configuration's")
            if let matches {
                XCTAssertEqual(try outboundctl(["plan", configurations[matches].path, "--store", store, "--detailed-exitcode"]).status, 0,
                               "iteration \(iteration): entities and revision agree with the availability")
            }
        }
        XCTAssertGreaterThan(killed, 5, "some applies must have been interrupted")
    }
}
