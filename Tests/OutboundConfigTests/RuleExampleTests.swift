import OutboundConfig
import XCTest

/// Every diagnostic code's documented examples: the failing one reports the code exactly at
/// its marker, the passing one is a valid configuration.
final class RuleExampleTests: XCTestCase {
    func testBaseFilesAreValid() {
        let result = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles)
        XCTAssertEqual(result.diagnostics.map { "\($0.code.rawValue) \($0.location) \($0.message)" }, [])
    }

    func testFailingExamplesReportTheirCodeAtTheMarker() {
        for example in RuleExample.all {
            let marked = MarkedText(example.failing)
            let result = ConfigurationLoader(now: Date()).load(documents: example.files(failing: true))
            assertDiagnostic(example.code, in: result.diagnostics, of: marked, file: "example.yaml")
            if example.code.severity == .error {
                XCTAssertFalse(result.isValid, "\(example.code.rawValue) failing example must be invalid")
            } else {
                XCTAssertTrue(result.isValid, "\(example.code.rawValue) failing example must only warn: \(result.diagnostics.map(\.message))")
            }
        }
    }

    func testPassingExamplesAreValid() {
        for example in RuleExample.all {
            let result = ConfigurationLoader(now: Date()).load(documents: example.files(failing: false))
            XCTAssertEqual(
                result.diagnostics.map { "\($0.code.rawValue) \($0.location) \($0.message)" }, [],
                "\(example.code.rawValue) passing example")
            XCTAssertFalse(result.diagnostics.contains { $0.code == example.code }, "\(example.code.rawValue) passing example")
        }
    }

    func testEveryCodeThatFilesCanTriggerHasAnExample() {
        let covered = Set(RuleExample.all.map(\.code))
        let needingPaths: Set<DiagnosticCode> = [.unreadableFile]
        let missing = DiagnosticCode.allCases.filter { !covered.contains($0) && !needingPaths.contains($0) }
        XCTAssertEqual(missing, [])
    }
}
