import Foundation
import XCTest

/// The Webex tenant export the import tests read (Tests/Fixtures/webex/tenant) stays true to
/// Cisco's published API: every item is checked against the OpenAPI document's schemas by a real
/// validator (scripts/webex-fixture-check.py, Python's openapi-schema-validator), the checker is
/// shown to reject drift with a located error, and the committed files are exactly what the
/// generator writes, so nobody hand-edits one into a shape the API never returns.
final class WebexFixtureTests: XCTestCase {
    private let tenant = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant")

    /// Runs a committed Python script; a missing module makes the checker exit 2 with the pip
    /// command in its output, which the assertions below then show.
    private func python(_ script: String, _ arguments: [String]) throws -> RunResult {
        try runProgram("/usr/bin/env", ["python3", script] + arguments)
    }

    private func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// The items of a file in either form §9 allows: a plain array or a paged envelope.
    private func items(_ name: String) throws -> [[String: Any]] {
        let content = try json(tenant.appendingPathComponent(name))
        let list = (content as? [String: Any])?["data"] ?? content
        return try XCTUnwrap(list as? [[String: Any]], name)
    }

    func testEveryFixtureItemMatchesCiscosSchemas() throws {
        let result = try python("scripts/webex-fixture-check.py", [tenant.path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(
            result.stdout,
            """
            checked agent-profile 4, auxiliary-code 9, contact-service-queue 9, entry-point 14, \
            multimedia-profile 7, site 3, team 7, user 200, user-profile 5

            """)
    }

    func testADriftedFixtureFailsWithItsFileAndJSONPath() throws {
        let directory = try temporaryDirectory(self)
        for name in try FileManager.default.contentsOfDirectory(atPath: tenant.path) {
            try FileManager.default.copyItem(at: tenant.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        func edit(_ name: String, _ change: (inout Any) -> Void) throws {
            let url = directory.appendingPathComponent(name)
            var content = try json(url)
            change(&content)
            try JSONSerialization.data(withJSONObject: content).write(to: url)
        }
        func setting(_ value: Any, at key: String, ofItem index: Int) -> (inout Any) -> Void {
            { content in
                if var array = content as? [[String: Any]] {
                    array[index][key] = value
                    content = array
                } else if var envelope = content as? [String: Any], var data = envelope["data"] as? [[String: Any]] {
                    data[index][key] = value
                    envelope["data"] = data
                    content = envelope
                }
            }
        }
        try edit("user.2.json", setting("t-1", at: "teamIds", ofItem: 5))
        try edit("site.json", setting("São Paulo", at: "name", ofItem: 2))
        try edit("team.json", setting("x", at: "multimediaProfileId", ofItem: 2))  // Cisco spells it multiMediaProfileId
        try edit("entry-point.json", setting("SMS", at: "socialChannelType", ofItem: 2))
        try edit("user.json") { content in
            var envelope = content as! [String: Any]
            var meta = envelope["meta"] as! [String: Any]
            meta["page"] = "first"
            envelope["meta"] = meta
            content = envelope
        }
        // User profiles are checked against the schema of their shape: an older item missing
        // one of its accessAll*, a v3 item carrying one.
        try edit("user-profile.json") { content in
            var envelope = content as! [String: Any]
            var data = envelope["data"] as! [[String: Any]]
            data[4]["accessAllTeams"] = nil
            data[0]["accessAllTeams"] = "ALL"
            envelope["data"] = data
            content = envelope
        }
        try Data("[]".utf8).write(to: directory.appendingPathComponent("users.json"))

        let result = try python("scripts/webex-fixture-check.py", [directory.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for expected in [
            "user.2.json: $.data[5].teamIds: 't-1' is not of type 'array'",
            "site.json: $[2].name: 'São Paulo' does not match",
            "team.json: $.data[2]: Additional properties are not allowed ('multimediaProfileId' was unexpected)",
            "entry-point.json: $[2].socialChannelType: 'SMS' is not one of",
            "user.json: $.meta.page: 'first' is not of type 'integer'",
            "user-profile.json: $.data[0]: Additional properties are not allowed ('accessAllTeams' was unexpected)",
            "user-profile.json: $.data[4]: 'accessAllTeams' is a required property",
            "users.json: not a list endpoint of SPEC §9",
        ] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(expected) }, "missing \(expected) in:\n\(result.stdout)")
        }
        XCTAssertEqual(lines.count, 8, result.stdout)
    }

    func testTheCommittedTenantIsWhatTheGeneratorWrites() throws {
        let directory = try temporaryDirectory(self)
        let result = try python("scripts/webex-fixture.py", [directory.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let committed = try FileManager.default.contentsOfDirectory(atPath: tenant.path).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), committed)
        for name in committed {
            XCTAssertEqual(
                try Data(contentsOf: directory.appendingPathComponent(name)), try Data(contentsOf: tenant.appendingPathComponent(name)),
                "\(name) differs from what scripts/webex-fixture.py writes: rerun it and commit the result")
        }
    }

    /// The schemas `import webex` checks items against are Cisco's, as the repository's copy of
    /// the document has them: the embedded file is what its generator writes from that copy.
    func testTheEmbeddedSchemasAreWhatTheGeneratorWritesFromCiscosDocument() throws {
        let written = try temporaryDirectory(self).appendingPathComponent("WebexSchemaDocument.swift")
        let result = try python("scripts/embed-webex-schemas.py", [written.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let embedded = repositoryRoot.appendingPathComponent("Sources/OutboundWebex/Schema/WebexSchemaDocument.swift")
        XCTAssertEqual(
            try String(contentsOf: written, encoding: .utf8), try String(contentsOf: embedded, encoding: .utf8),
            "run scripts/embed-webex-schemas.py and commit the result")
    }

    /// The cases the import must handle (SPEC §9, issue #16) are really in the export.
    func testTheTenantHasTheShapesTheImportMustHandle() throws {
        XCTAssertEqual(try items("site.json").count, 3)
        let teams = try items("team.json")
        XCTAssertEqual(teams.filter { $0["active"] as? Bool == true }.count, 6)
        XCTAssertTrue(teams.contains { $0["active"] as? Bool == false })
        let teamNames = Set(teams.compactMap { $0["name"] as? String })
        XCTAssertTrue(teamNames.isSuperset(of: ["Atención Clientes", "Atencion Clientes"]), "two team names that fold to one id")

        let firstPage = try XCTUnwrap(try json(tenant.appendingPathComponent("user.json")) as? [String: Any])
        let meta = try XCTUnwrap(firstPage["meta"] as? [String: Any])
        XCTAssertEqual(meta["totalRecords"] as? Int, 200)
        XCTAssertEqual(meta["totalPages"] as? Int, 2)
        let users = try items("user.json") + items("user.2.json")
        XCTAssertEqual(users.count, 200)
        XCTAssertEqual(Set(users.compactMap { $0["id"] as? String }).count, 200)
        XCTAssertTrue(users.contains { $0["active"] as? Bool == false })
        XCTAssertTrue(users.contains { $0["contactCenterEnabled"] as? Bool == false })
        let localParts = users.compactMap { ($0["email"] as? String)?.split(separator: "@").first?.lowercased() }
        XCTAssertLessThan(Set(localParts).count, localParts.count, "email local parts that collide")
        XCTAssertTrue(localParts.contains { !$0.allSatisfy(\.isASCII) }, "an accented email local part")

        let profiles = try items("multimedia-profile.json")
        func manualEmail(_ profile: [String: Any]) -> Int { (profile["manuallyAssignable"] as? [String: Any])?["email"] as? Int ?? 0 }
        XCTAssertTrue(profiles.contains { manualEmail($0) > 0 && $0["email"] as? Int == 0 }, "manual email only")
        XCTAssertTrue(profiles.contains { manualEmail($0) > 0 && ($0["email"] as? Int ?? 0) > 0 }, "pushed and manual email")
        XCTAssertEqual(Set(profiles.compactMap { $0["blendingMode"] as? String }), ["BLENDED", "BLENDED_REALTIME", "EXCLUSIVE"])

        let codes = try items("auxiliary-code.json")
        XCTAssertTrue(codes.contains { $0["workTypeCode"] as? String == "IDLE_CODE" })
        XCTAssertTrue(codes.contains { $0["workTypeCode"] as? String == "WRAP_UP_CODE" && $0["active"] as? Bool == false })
        let entryPoints = try items("entry-point.json")
        XCTAssertTrue(
            entryPoints.contains { $0["channelType"] as? String == "SOCIAL_CHANNEL" && $0["socialChannelType"] as? String == "MESSAGEBIRD" })
        XCTAssertTrue(
            entryPoints.contains { $0["channelType"] as? String == "EMAIL" && $0["socialChannelType"] as? String == "MESSAGEBIRD" },
            "an email entry point whose socialChannelType must be ignored")
        XCTAssertTrue(try items("contact-service-queue.json").contains { $0["queueRoutingType"] as? String == "AGENT_BASED" })
    }
}
