import Foundation
import XCTest

@testable import OutboundWebex

/// Replays every input kept in Tests/Fixtures/fuzz-regressions through the Webex export reader
/// as a user list, as the fuzzer runs them too: each must finish quickly, and the inputs made
/// for the reader (`webex-*`) must be refused with problems.
final class WebexFuzzRegressionTests: XCTestCase {
    func testEveryKeptInputReadsCleanlyAsAUserList() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz-regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let started = Date()
            let users = WebexListFile<WebexUser>(file: name, bytes: Array(data))
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(name) must not hang")
            if name.hasPrefix("webex-") { XCTAssertFalse(users.problems.isEmpty, "\(name) is not a valid user list and must say so") }
        }
    }
}
