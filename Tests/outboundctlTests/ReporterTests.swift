import Foundation
import OutboundConfig
import XCTest

@testable import outboundctl

/// Every `validate --format` output on examples/broken, compared whole with checked-in files
/// (record them again with OUTBOUNDCTL_RECORD=1 after an intended change).
final class ReporterTests: XCTestCase {
    private func assertMatchesFixture(_ output: String, _ name: String, line: UInt = #line) throws {
        let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/reporters/\(name)")
        if ProcessInfo.processInfo.environment["OUTBOUNDCTL_RECORD"] == "1" {
            try output.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(output, expected, "\(name) differs; record again with OUTBOUNDCTL_RECORD=1 if intended", line: line)
    }

    func testEveryFormatMatchesItsFixture() throws {
        for (format, file) in [
            ("text", "broken.txt"), ("json", "broken.json"), ("sarif", "broken.sarif"), ("github", "broken.github"), ("junit", "broken.xml"),
        ] {
            let run = try outboundctl(["validate", "examples/broken", "--format", format], environment: ["GITHUB_STEP_SUMMARY": ""])
            XCTAssertEqual(run.status, 1, format)
            try assertMatchesFixture(run.stdout, file)
        }
    }

    func testSARIFHasOneRulePerCodeAndLocatedResults() throws {
        let run = try outboundctl(["validate", "examples/broken", "--format", "sarif"])
        let json = try XCTUnwrap(run.json)
        XCTAssertEqual(json["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        let driver = try XCTUnwrap((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, DiagnosticCodeList.all)
        let results = try XCTUnwrap(runs[0]["results"] as? [[String: Any]])
        let first = try XCTUnwrap(results.first { $0["ruleId"] as? String == "OB201" })
        let region = ((first["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int]
        XCTAssertEqual(region, ["startLine": 11, "startColumn": 13])
        let fingerprints = Set(results.compactMap { ($0["partialFingerprints"] as? [String: String])?["outboundctl/v1"] })
        XCTAssertEqual(fingerprints.count, results.count, "fingerprints are distinct")
    }

    func testGitHubEscapingAndStepSummary() throws {
        XCTAssertEqual(GitHubDiagnosticReporter.escapeData("100% done\r\nnext"), "100%25 done%0D%0Anext")
        XCTAssertEqual(GitHubDiagnosticReporter.escapeProperty("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A")
        let directory = try temporaryDirectory(self)
        let summary = directory.appendingPathComponent("summary.md")
        try "# earlier step\n".write(to: summary, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("odd, name: here.yaml")
        try "tenant: {name: X, digitalChannels: maybe}\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try outboundctl(["validate", file.path, "--format", "github"], environment: ["GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stdout.contains(
                "file=\(file.path.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")),line=1,col=36,title=OB112::"),
            run.stdout)
        let text = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# earlier step\n## outboundctl validate\n\n❌ 1 error, 0 warnings in 1 file\n"), text)
        XCTAssertTrue(text.contains("| ❌ | OB112 |"), text)
    }

    func testStepSummaryListsAtMostFifty() {
        let diagnostics = (1...60).map {
            Diagnostic(.unknownKey, "unknown key \($0)", at: SourceLocation(file: "f.yaml", line: $0, column: 1), path: "x")
        }
        let summary = GitHubDiagnosticReporter.summary(LoadResult(configuration: Configuration(), diagnostics: diagnostics, files: ["f.yaml"]))
        XCTAssertEqual(summary.components(separatedBy: "| ❌ |").count - 1, 50)
        XCTAssertTrue(summary.contains("… and 10 more."))
    }
}

/// The codes in declaration order, as SARIF lists its rules.
enum DiagnosticCodeList {
    static let all: [String?] = DiagnosticCode.allCases.map(\.rawValue)
}

final class PlanMarkdownTests: XCTestCase {
    func testDiffAsAPullRequestComment() throws {
        let head = try copyExample("acme", self)
        try edit(head.appendingPathComponent("agents.yaml"), replacing: "    multimediaProfile: email-manual\n", with: "")
        let run = try outboundctl(["diff", "examples/acme", head.path, "--format", "markdown", "--date", "2026-11-25"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(
            run.stdout,
            """
            ### outboundctl plan

            **Plan: 0 to add, 1 to change, 0 to destroy; 1 agent changes outbound availability.**

            <details><summary>Changes (1)</summary>

            | | object | fields |
            |---|---|---|
            | ✏️ | `agents.ana.silva` | `multimediaProfile`: `"email-manual"` → `(none)` |

            </details>

            #### Outbound availability changes

            | agent | team | channel | before | after | reasons after |
            |---|---|---|---|---|---|
            | ana.silva | digital-tier1 | email | ❌ | ✅ |  |

            """)
    }

    func testCIExamplesAreWellFormedYAML() throws {
        for name in ["github-actions.yml", "gitlab-ci.yml"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/ci/\(name)"), encoding: .utf8)
            let (file, diagnostics) = YAMLLoader().load(text, path: name)
            XCTAssertEqual(diagnostics.map(\.message), [], name)
            XCTAssertNotNil(file.root, name)
            XCTAssertTrue(text.contains("outboundctl validate"), name)
            XCTAssertTrue(text.contains("outboundctl diff"), name)
        }
    }
}
