import Foundation
import OutboundConfig
import XCTest

/// `docs/diagnostics.md` must list exactly the codes the tool has, with their examples.
final class DiagnosticsDocumentTests: XCTestCase {
    func testDocumentMatchesTheCodes() throws {
        let url = repositoryRoot.appendingPathComponent("docs/diagnostics.md")
        let expected = DiagnosticsDocument.render()
        if ProcessInfo.processInfo.environment["OUTBOUNDCTL_REGENERATE_DOCS"] == "1" {
            try expected.write(to: url, atomically: true, encoding: .utf8)
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(
            actual, expected, "docs/diagnostics.md is out of date: run OUTBOUNDCTL_REGENERATE_DOCS=1 swift test --filter DiagnosticsDocumentTests")
        for code in DiagnosticCode.allCases {
            XCTAssertTrue(actual.contains("| [\(code.rawValue)]"), "\(code.rawValue) missing from the table")
        }
    }
}

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
