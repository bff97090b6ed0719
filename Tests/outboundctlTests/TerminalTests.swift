import Foundation
import XCTest

/// Terminal manners: colour only on a terminal, NO_COLOR and --no-color, --quiet, errors on
/// standard error, help with examples, version, completions, and `schema`.
final class TerminalTests: XCTestCase {
    private func onTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        try outboundctlOnTerminal(arguments, environment: environment)
    }

    private let escape = "\u{1B}["

    func testColourOnlyOnATerminalAndNeverWithNoColor() throws {
        let coloured = try onTerminal(["validate", "examples/broken"])
        XCTAssertTrue(coloured.contains(escape + "1;31m"), coloured)
        XCTAssertFalse(try onTerminal(["validate", "examples/broken"], environment: ["NO_COLOR": "1"]).contains(escape))
        XCTAssertFalse(try onTerminal(["validate", "examples/broken", "--no-color"]).contains(escape))
        let piped = try outboundctl(["validate", "examples/broken"], environment: ["NO_COLOR": ""])
        XCTAssertFalse(piped.stdout.contains(escape), "not a terminal: no colour")
    }

    func testQuiet() throws {
        let validate = try outboundctl(["validate", "examples/broken", "--quiet"])
        XCTAssertEqual(validate.status, 1)
        XCTAssertTrue(validate.stdout.contains("error[OB201]"))
        XCTAssertFalse(validate.stdout.contains(" in 4 files"), "no summary")
        let store = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        let apply = try outboundctl(["apply", "examples/acme", "--store", store, "-q"])
        XCTAssertEqual(apply.stdout, "Applied revision 1: 60 created, 0 updated, 0 deleted; 10 agents changed outbound availability.\n")
        let explain = try outboundctl(["explain", "ana.silva", "examples/acme", "--quiet", "--date", "2026-11-25"])
        XCTAssertEqual(
            explain.stdout,
            """
            ana.silva · email · team digital-tier1: NOT AVAILABLE (slot-manual)
            ana.silva · sms · team digital-tier1: AVAILABLE

            """)
    }

    func testErrorsGoToStandardError() throws {
        let run = try outboundctl(["explain", "nobody", "examples/acme"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("error: unknown agent 'nobody'"))
        let invalid = try outboundctl(["plan", "examples/broken"])
        XCTAssertEqual(invalid.stdout, "")
        XCTAssertTrue(invalid.stderr.contains("error[OB201]"))
    }

    func testHelpVersionAndCompletions() throws {
        for command in ["validate", "plan", "apply", "explain", "matrix", "diff", "history", "rollback", "export", "schema"] {
            let help = try outboundctl([command, "--help"])
            XCTAssertEqual(help.status, 0, command)
            XCTAssertTrue(
                help.stdout.contains("Example:\n  outboundctl \(command)") || help.stdout.contains("Examples:\n  outboundctl \(command)"),
                "\(command): \(help.stdout)")
        }
        let version = try outboundctl(["--version"])
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
        for shell in ["bash", "zsh", "fish"] {
            let script = try outboundctl(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, shell)
            XCTAssertTrue(script.stdout.contains("outboundctl"), shell)
            XCTAssertTrue(script.stdout.contains("explain"), shell)
        }
    }

    func testSchemaPrintsTheSchemaAndExplainsFields() throws {
        let printed = try outboundctl(["schema"])
        XCTAssertEqual(printed.status, 0)
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("schemas/outboundctl.schema.json"), encoding: .utf8)
        XCTAssertEqual(printed.stdout, file, "the embedded schema is the shipped one (run scripts/embed-schema.sh)")

        let field = try outboundctl(["schema", "multimediaProfiles.email.assignment"])
        XCTAssertEqual(field.status, 0)
        XCTAssertTrue(field.stdout.contains("TYPE:        string, one of: auto-pushed, manual"), field.stdout)
        XCTAssertTrue(field.stdout.contains("DEFAULT:     \"auto-pushed\""), field.stdout)
        XCTAssertTrue(field.stdout.contains("slot-manual"), field.stdout)

        let section = try outboundctl(["schema", "desktopProfiles"])
        XCTAssertTrue(section.stdout.contains("outboundEntryPoints"), section.stdout)

        let unknown = try outboundctl(["schema", "agents.licnce"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("Did you mean 'licence'?"), unknown.stderr)
    }
}
