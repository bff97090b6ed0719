import Foundation
import XCTest

/// plan, apply, history, rollback, export, diff and the store-backed explain and matrix,
/// through the real binary and a real SQLite file.
final class StoreCommandTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("outbound.sqlite").path }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
    }

    private func run(_ arguments: [String], input: String? = nil) throws -> RunResult {
        try outboundctl(arguments + ["--store", storePath], input: input)
    }

    private func revisions() throws -> [[String: Any]] {
        try XCTUnwrap(try run(["history", "--format", "json"]).json?["revisions"] as? [[String: Any]])
    }

    func testFirstApplyCreatesTheStoreAndReapplyWritesNothing() throws {
        let first = try run(["apply", "examples/acme", "--message", "initial", "--author", "tester"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Applied revision 1: 60 created, 0 updated, 0 deleted"), first.stdout)
        let again = try run(["apply", "examples/acme"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
        let history = try revisions()
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(Set(history[0].keys), ["revision", "time", "author", "message", "digest", "changes"])
        XCTAssertEqual(history[0]["author"] as? String, "tester")
        XCTAssertEqual(history[0]["message"] as? String, "initial")
        XCTAssertEqual((history[0]["digest"] as? String)?.count, 64)
        XCTAssertEqual(history[0]["changes"] as? [String: Int], ["create": 60, "update": 0, "delete": 0])
        XCTAssertTrue((history[0]["time"] as? String)?.hasSuffix("Z") == true)
        XCTAssertEqual(try sqlite(storePath, "PRAGMA journal_mode"), "wal\n")
    }

    func testACommentOrReorderingChangesNothing() throws {
        let config = try copyExample("acme", self)
        XCTAssertEqual(try run(["apply", config.path]).status, 0)
        try edit(config.appendingPathComponent("agents.yaml"), replacing: "agents:\n", with: "# reviewed 2026-11\nagents:\n")
        try edit(
            config.appendingPathComponent("agents.yaml"), replacing: "    teams: [digital-tier1, email-desk]",
            with: "    teams: [email-desk, digital-tier1]")
        let again = try run(["apply", config.path])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
        XCTAssertEqual(try revisions().count, 1)
    }

    func testPlanAgainstAMissingStoreCreatesNothing() throws {
        let plan = try run(["plan", "examples/acme", "--detailed-exitcode", "--format", "json"])
        XCTAssertEqual(plan.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath))
        let json = try XCTUnwrap(plan.json)
        XCTAssertEqual(Set(json.keys), ["baseRevision", "changes", "impact"])
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.count, 60)
        XCTAssertTrue(changes.allSatisfy { $0["action"] as? String == "create" })
        XCTAssertEqual(changes.first?["kind"] as? String, "tenant")
        for change in changes { XCTAssertEqual(Set(change.keys), ["action", "kind", "id", "fields"]) }
        for name in ["history", "export", "matrix"] {
            let read = try run(name == "export" ? [name, "--out", directory.appendingPathComponent("x").path] : [name])
            XCTAssertEqual(read.status, 3, "\(name) on a missing store")
            XCTAssertTrue(read.stderr.contains("no store at"), read.stderr)
        }
        XCTAssertEqual(try run(["explain", "ana.silva"]).status, 3)
        XCTAssertEqual(try run(["rollback", "1"]).status, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath))
    }

    func testPlanShowsFieldChangesAndImpact() throws {
        let config = try copyExample("acme", self)
        XCTAssertEqual(try run(["apply", config.path]).status, 0)
        try edit(config.appendingPathComponent("agents.yaml"), replacing: "    multimediaProfile: email-manual\n", with: "")
        let plan = try run(["plan", config.path, "--format", "json", "--detailed-exitcode"])
        XCTAssertEqual(plan.status, 2)
        let json = try XCTUnwrap(plan.json)
        XCTAssertEqual(json["baseRevision"] as? Int, 1)
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.count, 1)
        XCTAssertEqual(changes[0]["action"] as? String, "update")
        XCTAssertEqual(changes[0]["id"] as? String, "ana.silva")
        let fields = try XCTUnwrap(changes[0]["fields"] as? [[String: Any]])
        XCTAssertEqual(fields.count, 1)
        XCTAssertEqual(fields[0]["path"] as? String, "multimediaProfile")
        XCTAssertEqual(fields[0]["old"] as? String, "email-manual")
        XCTAssertTrue(fields[0]["new"] is NSNull)
        let impact = try XCTUnwrap(json["impact"] as? [[String: Any]])
        XCTAssertEqual(impact.count, 1)
        XCTAssertEqual(impact[0]["agent"] as? String, "ana.silva")
        XCTAssertEqual(impact[0]["channel"] as? String, "email")
        XCTAssertEqual(impact[0]["before"] as? Bool, false)
        XCTAssertEqual(impact[0]["after"] as? Bool, true)
        let text = try run(["plan", config.path])
        XCTAssertTrue(text.stdout.contains("  ~ agents.ana.silva\n      multimediaProfile: \"email-manual\" → (none)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy; 1 agent changes outbound availability."), text.stdout)
        XCTAssertEqual(try run(["plan", "examples/acme", "--detailed-exitcode"]).status, 0)
    }

    func testDeletionsNeedYesWithoutATerminal() throws {
        let config = try copyExample("acme", self)
        XCTAssertEqual(try run(["apply", config.path]).status, 0)
        try edit(
            config.appendingPathComponent("organisation.yaml"),
            replacing: "  porto-general:\n    name: Porto general\n    site: porto             # inherits digital-blended from the site\n", with: "")
        try edit(config.appendingPathComponent("routing.yaml"), replacing: "[digital-tier1, porto-general]", with: "[digital-tier1]")
        try edit(
            config.appendingPathComponent("routing.yaml"), replacing: "[digital-tier1, porto-general, email-desk]",
            with: "[digital-tier1, email-desk]")
        try edit(config.appendingPathComponent("routing.yaml"), replacing: "    teams: [porto-general]\n", with: "    teams: [email-desk]\n")
        let agents = config.appendingPathComponent("agents.yaml")
        try String(contentsOf: agents, encoding: .utf8).replacingOccurrences(of: "[porto-general]", with: "[email-desk]")
            .write(to: agents, atomically: true, encoding: .utf8)
        let refused = try run(["apply", config.path])
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("pass --yes"), refused.stderr)
        XCTAssertEqual(try revisions().count, 1, "nothing written")
        let applied = try run(["apply", config.path, "--yes"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(try revisions().last?["changes"] as? [String: Int], ["create": 0, "update": 11, "delete": 1])
        XCTAssertEqual(try sqlite(storePath, "SELECT COUNT(*) FROM outbound_availability WHERE team_id = 'porto-general'"), "0\n")
    }

    func testSavedPlansAreAppliedExactlyOrRefusedWhenStale() throws {
        let config = try copyExample("acme", self)
        let planFile = directory.appendingPathComponent("acme.plan").path
        XCTAssertEqual(try run(["plan", config.path, "--out", planFile]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath))
        try edit(config.appendingPathComponent("tenant.yaml"), replacing: "seats: 20", with: "seats: 25")
        let applied = try run(["apply", "--plan", planFile])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(try run(["plan", "examples/acme", "--detailed-exitcode"]).status, 0, "the saved plan carried the reviewed configuration")

        XCTAssertEqual(try run(["plan", config.path, "--out", planFile]).status, 0)
        XCTAssertEqual(try run(["apply", "examples/launch-day", "--yes"]).status, 0)
        let stale = try run(["apply", "--plan", planFile])
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("saved plan is stale"), stale.stderr)
        XCTAssertEqual(try revisions().count, 2)

        try "{\"not\": \"a plan\"}".write(toFile: planFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["apply", "--plan", planFile]).status, 1)
        XCTAssertEqual(try run(["apply", "examples/acme", "--plan", planFile]).status, 64)
    }

    func testExplainAndMatrixReadTheStore() throws {
        XCTAssertEqual(try run(["apply", "examples/acme"]).status, 0)
        let explain = try run(["explain", "ana.silva", "--channel", "email", "--format", "json"])
        XCTAssertEqual(explain.status, 1)
        let json = try XCTUnwrap(explain.json)
        XCTAssertEqual(json["reasons"] as? [String], ["slot-manual"])
        let checks = try XCTUnwrap(json["checks"] as? [[String: Any]])
        let source = try XCTUnwrap(checks[5]["source"] as? [String: Any])
        XCTAssertEqual(source["revision"] as? Int, 1)
        XCTAssertEqual(source["file"] as? String, "profiles.yaml")
        XCTAssertEqual(Set(source.keys), ["revision", "file", "line", "column"])
        let fromFiles = try XCTUnwrap(try outboundctl(["matrix", "examples/acme", "--format", "json"]).json?["rows"] as? NSArray)
        let fromStore = try XCTUnwrap(try run(["matrix", "--format", "json"]).json?["rows"] as? NSArray)
        XCTAssertEqual(fromStore, fromFiles)
        let site = try XCTUnwrap(try run(["matrix", "--site", "boston", "--format", "json"]).json?["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(site.map { $0["agent"] as! String }), ["olivia.brown", "peter.walsh", "quinn.harris"])
        let unknown = try run(["explain", "bruno.costta"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'bruno.costa'?"), unknown.stderr)
        XCTAssertEqual(
            try sqlite(storePath, "SELECT available, reasons FROM outbound_availability WHERE agent_id = 'ana.silva' AND channel = 'email'"),
            "0|slot-manual\n")
        XCTAssertEqual(
            try sqlite(
                storePath, "SELECT available, reasons, revision FROM outbound_availability WHERE agent_id = 'bruno.costa' AND channel = 'sms'"),
            "1||1\n")
        XCTAssertEqual(
            try sqlite(storePath, "SELECT reasons FROM outbound_availability WHERE agent_id = 'luis.almeida' AND channel = 'sms'"),
            "agent-inactive,licence-expired\n")
    }

    func testRollbackRestoresARevisionAsANewOne() throws {
        let config = try copyExample("acme", self)
        XCTAssertEqual(try run(["apply", config.path]).status, 0)
        try edit(
            config.appendingPathComponent("profiles.yaml"), replacing: "email: { assignment: manual, slots: 3 }",
            with: "email: { assignment: auto-pushed, slots: 3 }")
        XCTAssertEqual(try run(["apply", config.path]).status, 0)
        XCTAssertEqual(try run(["plan", "examples/acme", "--detailed-exitcode"]).status, 2)
        let rollback = try run(["rollback", "1"])
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
        XCTAssertTrue(rollback.stdout.contains("Applied revision 3"), rollback.stdout)
        XCTAssertEqual(try run(["plan", "examples/acme", "--detailed-exitcode"]).status, 0)
        XCTAssertEqual(try revisions().last?["message"] as? String, "rollback to revision 1")
        XCTAssertEqual(try run(["rollback", "9"]).status, 1)
    }

    func testExportRoundTrips() throws {
        XCTAssertEqual(try run(["apply", "examples/acme"]).status, 0)
        let out = directory.appendingPathComponent("exported")
        let export = try run(["export", "--out", out.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let validate = try outboundctl(["validate", out.path])
        XCTAssertEqual(validate.status, 0, validate.stdout)
        XCTAssertEqual(try run(["plan", out.path, "--detailed-exitcode"]).status, 0, "an export plans to no change")
        XCTAssertEqual(try run(["export", "--out", out.path]).status, 1, "a non-empty directory is refused")
        XCTAssertEqual(try run(["export", "--out", out.path, "--force"]).status, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(
            files,
            [
                "agents.yaml", "desktopProfiles.yaml", "entryPoints.yaml", "licences.yaml", "multimediaProfiles.yaml",
                "queues.yaml", "sites.yaml", "teams.yaml", "tenant.yaml", "wrapUpReasons.yaml",
            ])
    }

    func testDiffPlansBetweenTwoConfigurationsWithoutAStore() throws {
        let head = try copyExample("acme", self)
        try edit(head.appendingPathComponent("profiles.yaml"), replacing: "    social: { assignment: manual, slots: 2 }", with: "    social: 2")
        let diff = try outboundctl(["diff", "examples/acme", head.path, "--format", "json", "--detailed-exitcode"])
        XCTAssertEqual(diff.status, 2)
        let json = try XCTUnwrap(diff.json)
        XCTAssertTrue(json["baseRevision"] is NSNull)
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.map { $0["id"] as? String }, ["social-manual"])
        let impact = try XCTUnwrap(json["impact"] as? [[String: Any]])
        XCTAssertEqual(impact.map { $0["agent"] as? String }, ["nuno.gomes"])
        XCTAssertEqual(try outboundctl(["diff", "examples/acme", "examples/acme", "--detailed-exitcode"]).status, 0)
        XCTAssertEqual(try outboundctl(["diff", "examples/acme", "examples/broken"]).status, 1)
    }

    func testImpactOfADeletedAgentIsAgentInactiveAndOfALeftTeamIsNoReason() throws {
        let head = try copyExample("acme", self)
        let agents = head.appendingPathComponent("agents.yaml")
        var inAna = false
        let kept = try String(contentsOf: agents, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            if line.hasPrefix("  ") && !line.hasPrefix("   ") { inAna = line.hasPrefix("  ana.silva:") }
            return !inAna
        }
        try kept.joined(separator: "\n").write(to: agents, atomically: true, encoding: .utf8)
        let diff = try outboundctl(["diff", "examples/acme", head.path, "--format", "json"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let impact = try XCTUnwrap(diff.json?["impact"] as? [[String: Any]])
        XCTAssertFalse(impact.isEmpty)
        for item in impact {
            XCTAssertEqual(item["agent"] as? String, "ana.silva")
            XCTAssertEqual(item["after"] as? Bool, false)
            XCTAssertEqual(item["reasons"] as? [String], ["agent-inactive"])
        }
        let tenant = try copyExample("acme", self)
        try edit(
            tenant.appendingPathComponent("agents.yaml"), replacing: "    teams: [digital-tier1, email-desk]", with: "    teams: [digital-tier1]")
        let left = try outboundctl(["diff", "examples/acme", tenant.path, "--format", "json"])
        let leftImpact = try XCTUnwrap(left.json?["impact"] as? [[String: Any]], left.stderr)
        let lost = leftImpact.filter { $0["before"] as? Bool == true && $0["after"] as? Bool == false }
        XCTAssertEqual(lost.map { "\($0["agent"] ?? "") \($0["team"] ?? "")" }, ["sara.teixeira email-desk"])
        XCTAssertTrue(lost.allSatisfy { ($0["reasons"] as? [String]) == [] })
        XCTAssertTrue(try outboundctl(["diff", "examples/acme", tenant.path]).stdout.contains("available → unavailable (no longer in this team)"))
    }

    func testBadInputIsRefusedAndWritesNothing() throws {
        XCTAssertEqual(try run(["apply", "examples/broken"]).status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath))
        XCTAssertEqual(try run(["apply", "examples/acme"]).status, 0)
        let bad = directory.appendingPathComponent("bad.yaml")
        for text in ["tenant: [", "\u{0}\u{1}\u{2}", "agents:\n\tx: 1\n"] {
            try text.write(to: bad, atomically: true, encoding: .utf8)
            XCTAssertEqual(try run(["apply", bad.path]).status, 1)
        }
        XCTAssertEqual(try revisions().count, 1)
    }

    func testStoreErrorsExit3() throws {
        try "this is not a database, just text that is long enough to not be empty".write(toFile: storePath, atomically: true, encoding: .utf8)
        for arguments in [["history"], ["apply", "examples/acme"], ["plan", "examples/acme"], ["matrix"]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 3, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("not an outboundctl store") || result.stderr.contains("cannot use the store"), result.stderr)
        }
        try FileManager.default.removeItem(atPath: storePath)
        XCTAssertEqual(try run(["apply", "examples/acme"]).status, 0)
        _ = try sqlite(storePath, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let newer = try run(["history"])
        XCTAssertEqual(newer.status, 3)
        XCTAssertTrue(newer.stderr.contains("newer outboundctl"), newer.stderr)
    }
}

/// `--format json` on the commands whose results are not plans or answers.
final class JSONEverywhereTests: XCTestCase {
    func testApplyRollbackExportAndSchemaSpeakJSON() throws {
        let directory = try temporaryDirectory(self)
        let store = directory.appendingPathComponent("s.sqlite").path
        let first = try XCTUnwrap(try outboundctl(["apply", "examples/acme", "--store", store, "--format", "json"]).json)
        XCTAssertEqual(first["applied"] as? Bool, true)
        XCTAssertEqual(first["revision"] as? Int, 1)
        XCTAssertEqual(((first["plan"] as? [String: Any])?["changes"] as? [Any])?.count, 60)
        let again = try XCTUnwrap(try outboundctl(["apply", "examples/acme", "--store", store, "--format", "json"]).json)
        XCTAssertEqual(again["applied"] as? Bool, false)
        XCTAssertEqual(try outboundctl(["apply", "examples/launch-day", "--store", store, "--yes"]).status, 0)
        let rollback = try XCTUnwrap(try outboundctl(["rollback", "1", "--store", store, "--yes", "--format", "json"]).json)
        XCTAssertEqual(rollback["revision"] as? Int, 3)
        let export = try XCTUnwrap(
            try outboundctl(["export", "--out", directory.appendingPathComponent("out").path, "--store", store, "--format", "json"]).json)
        XCTAssertEqual(export["revision"] as? Int, 3)
        XCTAssertEqual((export["files"] as? [String])?.first, "tenant.yaml")
        let field = try XCTUnwrap(try outboundctl(["schema", "agents.active", "--format", "json"]).json)
        XCTAssertEqual(field["type"] as? String, "boolean")
    }
}
