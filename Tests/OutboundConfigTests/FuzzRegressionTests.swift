import Foundation
import XCTest

@testable import OutboundConfig

/// Replays every input kept in Tests/Fixtures/fuzz-regressions (hostile inputs written by
/// hand, and every input the fuzzer ever found a crash, hang or out-of-memory with) through
/// the whole front end: each must finish quickly with located diagnostics. (The Webex export
/// reader replays them too, in OutboundWebexTests.)
final class FuzzRegressionTests: XCTestCase {
    func testEveryKeptInputRunsCleanly() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz-regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let started = Date()
            let diagnostics = data.withUnsafeBytes { FrontEnd.run($0) }
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(name) must not hang")
            for diagnostic in diagnostics where !diagnostic.location.isBuiltIn {
                XCTAssertGreaterThanOrEqual(diagnostic.location.line, 1, name)
                XCTAssertGreaterThanOrEqual(diagnostic.location.column, 1, name)
            }
            if !["anchors-in-sections.yaml", "utf16-bom.yaml"].contains(name) {
                XCTAssertTrue(diagnostics.hasErrors, "\(name) is invalid and must say so")
            }
        }
    }
}
