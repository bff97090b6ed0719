import Foundation
import OutboundConfig
import XCTest

final class ValidateCommandTests: XCTestCase {
    func testAcmeIsValid() throws {
        let run = try outboundctl(["validate", "examples/acme"])
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix("0 errors, 0 warnings in 5 files\n") || run.stdout.contains("0 errors"), run.stdout)
        XCTAssertFalse(run.stdout.contains("error["), run.stdout)
    }

    func testBrokenExampleReportsLocatedErrorsInCompilerStyle() throws {
        let run = try outboundctl(["validate", "examples/broken"])
        XCTAssertEqual(run.status, 1)
        let expected = [
            "examples/broken/agents.yaml:11:13: error[OB201]: unknown team 'suport'; did you mean 'support'?",
            "examples/broken/agents.yaml:21:3: error[OB101]: duplicate key 'ana' (first defined on line 7)",
            "examples/broken/profiles.yaml:7:5: error[OB110]: unknown key 'socail' in multimediaProfiles.digital; did you mean 'social'?",
            "examples/broken/routing.yaml:5:14: error[OB306]:",
            "examples/broken/tenant.yaml:5:20: error[OB112]:",
        ]
        for line in expected {
            XCTAssertTrue(run.stdout.contains(line), "missing: \(line)\n\(run.stdout)")
        }
        XCTAssertTrue(run.stdout.contains("11 |     teams: [suport]"), "source line shown")
        XCTAssertTrue(run.stdout.contains("   |             ^\n"), "caret under column 13")
        XCTAssertTrue(run.stdout.contains("note: examples/broken/agents.yaml:7:3: first defined here"))
        let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(summary.hasPrefix("14 errors, ") && summary.hasSuffix(" in 4 files"), summary)
    }

    func testSourceLinesFollowYAMLLineBreaks() throws {
        let directory = try temporaryDirectory(self)
        let cases = ["crlf.yaml": "\r\n", "cr.yaml": "\r", "lf.yaml": "\n"]
        for (name, newline) in cases {
            let text = ["sites:", "  hq: {name: HQ}", "teams:", "  t1: {name: T, site: nowhere}", ""]
                .joined(separator: newline)
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
            let run = try outboundctl(["validate", directory.appendingPathComponent(name).path])
            XCTAssertEqual(run.status, 1, "\(name): \(run.stdout)")
            XCTAssertTrue(run.stdout.contains("\(name):4:23: error[OB201]: unknown site 'nowhere'"), "\(name): \(run.stdout)")
            XCTAssertTrue(run.stdout.contains("4 |   t1: {name: T, site: nowhere}\n  |                       ^\n"), "\(name): \(run.stdout)")
        }
    }

    func testJSONHasTheContractShape() throws {
        let run = try outboundctl(["validate", "examples/broken", "--format", "json"])
        XCTAssertEqual(run.status, 1)
        let json = try XCTUnwrap(run.json, run.stdout)
        XCTAssertEqual(Set(json.keys), ["valid", "errors", "warnings", "diagnostics"])
        XCTAssertEqual(json["valid"] as? Bool, false)
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(json["errors"] as? Int, diagnostics.filter { $0["severity"] as? String == "error" }.count)
        XCTAssertGreaterThan(diagnostics.count, 5)
        for diagnostic in diagnostics {
            XCTAssertEqual(Set(diagnostic.keys), ["severity", "code", "message", "file", "line", "column", "path"])
            XCTAssertNotNil(diagnostic["line"] as? Int)
            XCTAssertNotNil(diagnostic["column"] as? Int)
        }
        let unknownTeam = try XCTUnwrap(diagnostics.first { $0["code"] as? String == "OB201" })
        XCTAssertEqual(unknownTeam["file"] as? String, "examples/broken/agents.yaml")
        XCTAssertEqual(unknownTeam["line"] as? Int, 11)
        XCTAssertEqual(unknownTeam["column"] as? Int, 13)
        XCTAssertEqual(unknownTeam["path"] as? String, "agents.ana.teams[0]")
    }

    func testValidJSON() throws {
        let run = try outboundctl(["validate", "examples/acme", "--format", "json"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.json?["valid"] as? Bool, true)
        XCTAssertEqual(run.json?["errors"] as? Int, 0)
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try outboundctl(["validate", "--format", "xml"]).status, 64)
        XCTAssertEqual(try outboundctl(["validate", "--no-such-flag"]).status, 64)
    }

    func testMissingPathAndEmptyDirectoryAreErrors() throws {
        let missing = try outboundctl(["validate", "does/not/exist"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stdout.contains("error[OB108]: no such file or directory: does/not/exist"), missing.stdout)
        let empty = try temporaryDirectory(self)
        let run = try outboundctl(["validate", empty.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("error[OB108]"), run.stdout)
    }

    func testDefaultPathIsTheCurrentDirectoryWalkedInSortedOrder() throws {
        let directory = try temporaryDirectory(self)
        try write(Dictionary(uniqueKeysWithValues: RuleExample.baseFiles.map { ($0.path, $0.text) }), to: directory)
        try write(["nested/deeper/z.yml": "sites:\n  hq: {name: Again}\n", ".hidden/ignored.yaml": "not: [valid"], to: directory)
        let run = try outboundctl(["validate"], in: directory)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("nested/deeper/z.yml:2:3: error[OB115]: site 'hq' is already defined at base.yaml:6:3"), run.stdout)
        XCTAssertFalse(run.stdout.contains("ignored.yaml"), "hidden directories are skipped")
    }

    func testAnUnparsableFileIsReportedAloneAndSaysWhatWaits() throws {
        let directory = try temporaryDirectory(self)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("examples/acme"), to: directory.appendingPathComponent("acme"))
        let organisation = directory.appendingPathComponent("acme/organisation.yaml")
        let text = try String(contentsOf: organisation, encoding: .utf8)
        try text.replacingOccurrences(of: "sites:\n", with: "sites: [\n").write(to: organisation, atomically: true, encoding: .utf8)
        let run = try outboundctl(["validate", directory.appendingPathComponent("acme").path])
        XCTAssertEqual(run.status, 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.contains("error[") || $0.contains("warning[") }.count, 1, run.stdout)
        XCTAssertTrue(lines.first?.contains("organisation.yaml:") == true && lines.first?.contains("error[OB100]") == true, run.stdout)
        XCTAssertEqual(
            lines.suffix(2),
            [
                "note: checks across files (references, the tenant, readiness warnings) wait until every file parses",
                "1 error, 0 warnings in 5 files",
            ])
    }

    func testALongSourceLineIsShownAroundTheColumn() throws {
        let directory = try temporaryDirectory(self)
        let sites = (0..<40).map { "s\($0): {name: S}" } + ["s40: {nmae: x}"] + (0..<40).map { "z\($0): {}" }
        let file = directory.appendingPathComponent("long.yaml")
        try "tenant: {name: T, digitalChannels: enabled}\nsites: {\(sites.joined(separator: ", "))}\n".write(
            to: file, atomically: true, encoding: .utf8)
        let run = try outboundctl(["validate", file.path])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("long.yaml:2:645: error[OB110]: unknown key 'nmae' in sites.s40; did you mean 'name'?"), run.stdout)
        XCTAssertTrue(lines[1].hasPrefix("2 | …") && lines[1].hasSuffix("…"), lines[1])
        XCTAssertEqual(lines[1].count, "2 | ".count + 1 + 120 + 1)
        let caret = try XCTUnwrap(lines[2].firstIndex(of: "^"))
        let underCaret = lines[1][lines[1].index(lines[1].startIndex, offsetBy: lines[2].distance(from: lines[2].startIndex, to: caret))...]
        XCTAssertTrue(underCaret.hasPrefix("nmae: x}"), String(underCaret))
    }

    func testEveryBadInputIsALocatedErrorNeverACrash() throws {
        let directory = try temporaryDirectory(self)
        var laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...14 { laughs += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n" }
        let cases: [String: Data] = [
            "laughs.yaml": Data(laughs.utf8),
            "deep.yaml": Data((String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)).utf8),
            "utf8.yaml": Data([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A]),
            "tabs.yaml": Data("tenant:\n\tname: x\n".utf8),
            "binary.yaml": Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }),
            "docs.yaml": Data("sites: {}\n---\nteams: {}\n".utf8),
            "scalar.yaml": Data("just a string\n".utf8),
            "huge.yaml": Data(("sites:\n  a: {name: " + String(repeating: "x", count: 2 << 20) + "}\n").utf8),
        ]
        for (name, data) in cases {
            try data.write(to: directory.appendingPathComponent(name))
            let run = try outboundctl(["validate", directory.appendingPathComponent(name).path, "--format", "json"])
            XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
            let diagnostics = try XCTUnwrap(run.json?["diagnostics"] as? [[String: Any]], name)
            XCTAssertTrue(diagnostics.contains { ($0["file"] as? String)?.hasSuffix(name) == true && ($0["line"] as? Int ?? 0) >= 1 }, name)
        }
    }
}
