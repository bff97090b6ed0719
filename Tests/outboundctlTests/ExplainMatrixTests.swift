import Foundation
import XCTest

final class ExplainMatrixTests: XCTestCase {
    private let today = ["--date", "2026-11-25"]

    func testExplainJSONFromFilesHasTheContractShapeAndSources() throws {
        let run = try outboundctl(["explain", "ana.silva", "examples/acme", "--channel", "email", "--format", "json"] + today)
        XCTAssertEqual(run.status, 1, "email is unavailable for ana.silva")
        let json = try XCTUnwrap(run.json, run.stdout)
        XCTAssertEqual(Set(json.keys), ["agent", "channel", "team", "available", "reasons", "checks"])
        XCTAssertEqual(json["agent"] as? String, "ana.silva")
        XCTAssertEqual(json["team"] as? String, "digital-tier1")
        XCTAssertEqual(json["available"] as? Bool, false)
        XCTAssertEqual(json["reasons"] as? [String], ["slot-manual"])
        let checks = try XCTUnwrap(json["checks"] as? [[String: Any]])
        XCTAssertEqual(
            checks.map { $0["check"] as? String },
            [
                "agent-active", "digital-channels", "premium-licence", "licence-valid", "media-slots",
                "auto-pushed", "outbound-entry-point", "desktop-entry-points", "agent-state",
            ])
        for check in checks { XCTAssertEqual(Set(check.keys), ["check", "passed", "outcome", "detail", "reason", "source"]) }
        let autoPushed = checks[5]
        XCTAssertEqual(autoPushed["passed"] as? Bool, false)
        XCTAssertEqual(autoPushed["reason"] as? String, "slot-manual")
        let source = try XCTUnwrap(autoPushed["source"] as? [String: Any])
        XCTAssertEqual(source["file"] as? String, "examples/acme/profiles.yaml")
        XCTAssertEqual(source["line"] as? Int, 21)
        XCTAssertTrue((autoPushed["detail"] as? String)?.contains("auto-pushed") == true)
    }

    func testExplainTextLeadsWithTheVerdictAndGivesTheFix() throws {
        let run = try outboundctl(["explain", "ana.silva", "examples/acme", "--channel", "email"] + today)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.hasPrefix("ana.silva · email · team digital-tier1: NOT AVAILABLE (slot-manual)\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("✘ 6. those slots are auto-pushed"), run.stdout)
        XCTAssertTrue(
            run.stdout.contains(
                "fix: examples/acme/profiles.yaml:21:26 email-manual uses manual assignment; set `email.assignment: auto-pushed`, or give ana.silva another profile"
            ), run.stdout)
        let available = try outboundctl(["explain", "bruno.costa", "examples/acme", "--channel", "sms"] + today)
        XCTAssertEqual(available.status, 0)
        XCTAssertTrue(available.stdout.contains("AVAILABLE"))
        XCTAssertTrue(
            available.stdout.contains("From: sms-support · transfer queues: sms-tier1 · wrap-up reasons: escalated, no-response, resolved"),
            available.stdout)
    }

    func testExplainWithoutChannelAnswersBothAndFollowsTheBestAnswer() throws {
        let run = try outboundctl(["explain", "ana.silva", "examples/acme", "--format", "json"] + today)
        XCTAssertEqual(run.status, 0, "sms is available, so the best answer is")
        let json = try XCTUnwrap(run.json)
        XCTAssertEqual(json["agent"] as? String, "ana.silva")
        XCTAssertEqual(json["available"] as? Bool, true)
        let answers = try XCTUnwrap(json["answers"] as? [[String: Any]])
        XCTAssertEqual(answers.map { $0["channel"] as? String }, ["email", "sms"])
        XCTAssertEqual(answers.map { $0["available"] as? Bool }, [false, true])
    }

    func testAgentInSeveralTeams() throws {
        let all = try outboundctl(["explain", "diogo.ferreira", "examples/acme", "--channel", "sms", "--format", "json"] + today)
        XCTAssertEqual(all.status, 0)
        let answers = try XCTUnwrap(all.json?["answers"] as? [[String: Any]])
        XCTAssertEqual(answers.map { $0["team"] as? String }, ["digital-tier1", "voice-tier1"])
        XCTAssertEqual(answers.map { $0["reasons"] as? [String] }, [[], ["slot-none"]])
        let picked = try outboundctl(
            ["explain", "diogo.ferreira", "examples/acme", "--channel", "sms", "--team", "voice-tier1", "--format", "json"] + today)
        XCTAssertEqual(picked.status, 1)
        XCTAssertEqual(picked.json?["team"] as? String, "voice-tier1")
        let wrongTeam = try outboundctl(["explain", "diogo.ferreira", "examples/acme", "--team", "email-desk"])
        XCTAssertEqual(wrongTeam.status, 1)
        XCTAssertTrue(wrongTeam.stderr.contains("not in team 'email-desk'"), wrongTeam.stderr)
    }

    func testStateAndDateOptions() throws {
        let idle = try outboundctl(["explain", "bruno.costa", "examples/acme", "--channel", "sms", "--state", "idle", "--format", "json"] + today)
        XCTAssertEqual(idle.status, 1)
        XCTAssertEqual(idle.json?["reasons"] as? [String], ["state-not-allowed"])
        let rona = try outboundctl(["explain", "bruno.costa", "examples/acme", "--channel", "sms", "--state", "rona"] + today)
        XCTAssertEqual(rona.status, 0)
        // acme's running licence ends on 2099-12-31 (far ahead, so the example answers alike on any day).
        let lastDay = try outboundctl(["explain", "bruno.costa", "examples/acme", "--channel", "sms", "--date", "2099-12-31", "--format", "json"])
        XCTAssertEqual(lastDay.json?["reasons"] as? [String], [])
        let later = try outboundctl(["explain", "bruno.costa", "examples/acme", "--channel", "sms", "--date", "2100-01-01", "--format", "json"])
        XCTAssertEqual(later.json?["reasons"] as? [String], ["licence-expired"])
    }

    func testUnknownAgentAndUsageErrors() throws {
        let unknown = try outboundctl(["explain", "ana.silv", "examples/acme"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown agent 'ana.silv'; did you mean 'ana.silva'?"), unknown.stderr)
        XCTAssertEqual(try outboundctl(["explain", "ana.silva", "examples/acme", "--channel", "whatsapp"]).status, 64)
        XCTAssertEqual(try outboundctl(["explain", "ana.silva", "examples/acme", "--state", "sleepy"]).status, 64)
        XCTAssertEqual(try outboundctl(["explain", "ana.silva", "examples/acme", "--date", "2026-13-01"]).status, 64)
        XCTAssertEqual(try outboundctl(["explain", "ana.silva", "examples/broken"]).status, 1, "an invalid configuration explains nothing")
    }

    func testExamplesCoverEveryReasonCode() throws {
        var seen = Set<String>()
        for example in ["examples/acme", "examples/launch-day"] {
            let matrix = try outboundctl(["matrix", example, "--format", "json"] + today)
            for row in matrix.json?["rows"] as? [[String: Any]] ?? [] { seen.formUnion(row["reasons"] as? [String] ?? []) }
        }
        let inactive = try outboundctl(["explain", "luis.almeida", "examples/acme", "--format", "json"] + today)
        for answer in inactive.json?["answers"] as? [[String: Any]] ?? [] { seen.formUnion(answer["reasons"] as? [String] ?? []) }
        let state = try outboundctl(["explain", "bruno.costa", "examples/acme", "--state", "engaged", "--format", "json"] + today)
        for answer in state.json?["answers"] as? [[String: Any]] ?? [] { seen.formUnion(answer["reasons"] as? [String] ?? []) }
        XCTAssertEqual(
            seen,
            [
                "agent-inactive", "tenant-digital-disabled", "licence-not-premium", "licence-expired", "licence-not-yet-valid",
                "slot-none", "slot-manual", "no-entry-point", "entry-point-not-allowed", "state-not-allowed",
            ])
    }

    func testMatrixFormatsAgree() throws {
        let json = try XCTUnwrap(try outboundctl(["matrix", "examples/acme", "--format", "json"] + today).json)
        XCTAssertEqual(Set(json.keys), ["rows", "summary"])
        let rows = try XCTUnwrap(json["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 42, "21 active agent-team pairs × 2 channels")
        for row in rows { XCTAssertEqual(Set(row.keys), ["agent", "team", "channel", "available", "reasons"]) }
        XCTAssertFalse(rows.contains { $0["agent"] as? String == "luis.almeida" }, "inactive agents are not in the matrix")
        let summary = try XCTUnwrap(json["summary"] as? [String: [String: Any]])
        for channel in ["sms", "email"] {
            let channelRows = rows.filter { $0["channel"] as? String == channel }
            XCTAssertEqual(summary[channel]?["available"] as? Int, channelRows.filter { $0["available"] as? Bool == true }.count)
            XCTAssertEqual(summary[channel]?["unavailable"] as? Int, channelRows.filter { $0["available"] as? Bool == false }.count)
        }
        XCTAssertEqual((summary["email"]?["reasons"] as? [String: Int])?["slot-manual"], 4)

        let csv = try outboundctl(["matrix", "examples/acme", "--format", "csv"] + today).stdout.split(separator: "\n")
        XCTAssertEqual(csv.first, "agent,team,channel,available,reasons")
        XCTAssertEqual(csv.count, rows.count + 1)
        XCTAssertTrue(csv.contains("filipe.santos,voice-tier1,sms,false,licence-not-premium;slot-none;entry-point-not-allowed"), "\(csv)")

        let text = try outboundctl(["matrix", "examples/acme"] + today).stdout
        XCTAssertTrue(text.contains("sms: 9 available, 12 unavailable — slot-none 6"), text)
    }

    func testMatrixFilters() throws {
        let unavailable = try outboundctl(["matrix", "examples/acme", "--unavailable-only", "--format", "json"] + today)
        let rows = try XCTUnwrap(unavailable.json?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 24)
        XCTAssertTrue(rows.allSatisfy { $0["available"] as? Bool == false })
        let team = try XCTUnwrap(
            try outboundctl(["matrix", "examples/acme", "--team", "email-desk", "--format", "json"] + today).json?["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(team.map { $0["agent"] as! String }), ["gabriela.lopes", "hugo.pereira", "sara.teixeira"])
        let site = try XCTUnwrap(
            try outboundctl(["matrix", "examples/acme", "--site", "boston", "--format", "json"] + today).json?["rows"] as? [[String: Any]])
        XCTAssertEqual(Set(site.map { $0["agent"] as! String }), ["olivia.brown", "peter.walsh", "quinn.harris"])
    }
}
