import Foundation
import PostgresTestSupport
import XCTest

/// `import webex` through the real binary on the committed Harbor Logistics export
/// (Tests/Fixtures/webex, checked against Cisco's schemas by WebexFixtureTests): what it
/// writes validates to exactly the fields its report lists, applies to both stores once
/// extra.yaml fills them, and explains agents as the Webex rules do; bad input writes nothing.
final class WebexImportTests: XCTestCase {
    private let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex")

    /// A copy of the export, with the fixture's extra.yaml when asked.
    private func export(withExtra: Bool) throws -> URL {
        let directory = try temporaryDirectory(self).appendingPathComponent("webex")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("tenant"), to: directory)
        if withExtra {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent("extra.yaml"), to: directory.appendingPathComponent("extra.yaml"))
        }
        return directory
    }

    private func importJSON(_ source: URL, into out: URL, _ extra: [String] = [], line: UInt = #line) throws -> [String: Any] {
        let result = try outboundctl(["import", "webex", source.path, "--out", out.path, "--format", "json"] + extra)
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        return try XCTUnwrap(result.json, result.stdout, line: line)
    }

    /// The paths `validate` reports for missing fields: one per entry, the field's own path
    /// when one is missing, the entry's when several are (docs/file-format.md).
    private func expectedErrorPaths(_ fill: [[String: Any]]) -> Set<String> {
        var byEntry: [String: [String]] = [:]
        for item in fill where item["required"] as? Bool == true {
            let path = item["path"] as! String
            byEntry[String(path[..<path.lastIndex(of: ".")!]), default: []].append(path)
        }
        return Set(byEntry.map { $0.value.count == 1 ? $0.value[0] : $0.key })
    }

    /// Without extra.yaml, `validate` of the output reports exactly the fields the report says
    /// to fill: its errors are the required ones, its OB402 warnings the recommended queues.
    func testValidateReportsExactlyTheFieldsToFill() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("config")
        let report = try importJSON(try export(withExtra: false), into: out)
        let fill = try XCTUnwrap(report["fill"] as? [[String: Any]])
        XCTAssertFalse(fill.isEmpty)
        XCTAssertTrue(fill.contains { $0["path"] as? String == "tenant.digitalChannels" })
        let validated = try outboundctl(["validate", out.path, "--format", "json"])
        XCTAssertEqual(validated.status, 1, validated.stdout)
        let diagnostics = try XCTUnwrap(validated.json?["diagnostics"] as? [[String: Any]])
        let errors = Set(diagnostics.filter { $0["severity"] as? String == "error" }.map { $0["path"] as! String })
        XCTAssertEqual(errors, expectedErrorPaths(fill))
        XCTAssertTrue(diagnostics.filter { $0["severity"] as? String == "error" }.allSatisfy { $0["code"] as? String == "OB113" }, "\(diagnostics)")
        let queueWarnings = Set(diagnostics.filter { $0["code"] as? String == "OB402" }.map { ($0["path"] as! String) })
        let recommended = Set(fill.filter { $0["required"] as? Bool == false }.map { $0["path"] as! String })
        XCTAssertEqual(queueWarnings, recommended)
        // Each listed field's file is where validate finds it.
        for item in fill {
            let path = item["path"] as! String
            let entry = path.hasPrefix("tenant.") ? path : String(path[..<path.lastIndex(of: ".")!])
            let found = diagnostics.first { ($0["path"] as? String).map { $0 == path || $0 == entry || $0 == "\(entry).outbound" } ?? false }
            if let found { XCTAssertTrue((found["file"] as! String).hasSuffix("/" + (item["file"] as! String)), "\(found) \(item)") }
        }
    }

    /// With extra.yaml: validate is clean, apply works on SQLite and PostgreSQL, and explain
    /// gives the Webex verdicts — a manually assigned email profile cannot start an outbound
    /// email (`slot-manual`), a standard agent profile has no digital channels
    /// (`licence-not-premium`). The export of the store carries every Webex id and plans to no change.
    func testImportedTenantAppliesAndExplainsAsWebexWould() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("config")
        let report = try importJSON(try export(withExtra: true), into: out)
        XCTAssertEqual((report["fill"] as? [[String: Any]])?.count, 0, "\(report["fill"] ?? "")")
        let validated = try outboundctl(["validate", out.path, "--format", "json"])
        XCTAssertEqual(validated.status, 0, validated.stdout)
        XCTAssertEqual(validated.json?["errors"] as? Int, 0)

        // The agents the Webex rules decide, found in the export itself.
        let users = try webexItems("user")
        let profiles = Dictionary(uniqueKeysWithValues: try webexItems("multimedia-profile").map { ($0["id"] as! String, $0) })
        let userProfiles = Dictionary(
            uniqueKeysWithValues: try webexItems("user-profile").map { ($0["id"] as! String, $0["profileType"] as! String) })
        func isAgent(_ user: [String: Any]) -> Bool {
            user["contactCenterEnabled"] as? Bool != false && user["active"] as? Bool != false
        }
        let manual = try XCTUnwrap(
            users.first { user in
                guard isAgent(user), userProfiles[user["userProfileId"] as! String] == "PREMIUM_AGENT",
                    let profile = (user["multimediaProfileId"] as? String).flatMap({ profiles[$0] })
                else { return false }
                return profile["email"] as? Int == 0 && ((profile["manuallyAssignable"] as? [String: Any])?["email"] as? Int ?? 0) > 0
            }, "a premium agent whose own profile assigns email manually")
        let standard = try XCTUnwrap(users.first { isAgent($0) && userProfiles[$0["userProfileId"] as! String] == "STANDARD_AGENT" })
        let ids = try importedAgentIds(out)

        let sqlite = try temporaryDirectory(self).appendingPathComponent("outbound.sqlite").path
        let schema = TestPostgres.uniqueSchema("webex")
        addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
        let postgres = try TestPostgres.server().url(schema: schema)
        for store in [sqlite, postgres] {
            let applied = try outboundctl(["apply", out.path, "--store", store, "--yes"])
            XCTAssertEqual(applied.status, 0, applied.stderr)
            for (user, reason) in [(manual, "slot-manual"), (standard, "licence-not-premium")] {
                let agent = try XCTUnwrap(ids[user["id"] as! String])
                let explained = try outboundctl(["explain", agent, "--channel", "email", "--store", store, "--format", "json"])
                XCTAssertEqual(explained.status, 1, "\(agent): \(explained.stdout)")
                let reasons =
                    (explained.json?["answers"] as? [[String: Any]])?.flatMap { $0["reasons"] as? [String] ?? [] }
                    ?? explained.json?["reasons"] as? [String] ?? []
                XCTAssertTrue(reasons.contains(reason), "\(agent) on \(store.hasPrefix("/") ? "SQLite" : "PostgreSQL"): \(reasons)")
            }
            let exported = try temporaryDirectory(self).appendingPathComponent("export-\(store.hasPrefix("/") ? "sqlite" : "postgres")")
            XCTAssertEqual(try outboundctl(["export", "--out", exported.path, "--store", store]).status, 0)
            XCTAssertEqual(try importedAgentIds(exported), ids, "export keeps every agent's externalId")
            let replanned = try outboundctl(["plan", exported.path, "--store", store, "--detailed-exitcode"])
            XCTAssertEqual(replanned.status, 0, replanned.stdout)
        }
        // Agent ids follow SPEC §9: the local part of the email, folded to ASCII, lower-cased.
        let accented = try XCTUnwrap(users.first { ($0["email"] as? String)?.hasPrefix("Ines.Santos@") == true })
        XCTAssertEqual(ids[accented["id"] as! String], "ines.santos")
    }

    /// Importing the same export twice writes byte-identical files, and a non-empty --out
    /// is refused without --force and left as it was.
    func testImportIsDeterministicAndGuardsItsOutput() throws {
        let source = try export(withExtra: true)
        let first = try temporaryDirectory(self).appendingPathComponent("first")
        let second = try temporaryDirectory(self).appendingPathComponent("second")
        _ = try importJSON(source, into: first)
        _ = try importJSON(source, into: second)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        XCTAssertEqual(names.count, 10)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: second.path).sorted(), names)
        for name in names {
            XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent(name)), try Data(contentsOf: second.appendingPathComponent(name)), name)
        }
        let before = try Data(contentsOf: first.appendingPathComponent("agents.yaml"))
        let refused = try outboundctl(["import", "webex", source.path, "--out", first.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("not empty; pass --force"), refused.stderr)
        try "agents: {}\n".write(to: first.appendingPathComponent("agents.yaml"), atomically: true, encoding: .utf8)
        // A configuration file the import does not write stays, and is warned about.
        try "agents: {}\n".write(to: first.appendingPathComponent("old-agents.yaml"), atomically: true, encoding: .utf8)
        let forced = try outboundctl(["import", "webex", source.path, "--out", first.path, "--force"])
        XCTAssertEqual(forced.status, 0)
        XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent("agents.yaml")), before)
        XCTAssertTrue(forced.stderr.contains("also holds old-agents.yaml, not written now; validate and apply of it read them too"), forced.stderr)
    }

    /// The text report names what to fill, what was not imported and why, what changed to
    /// fit, and the Webex fields left out — each item of the export accounted for.
    func testReportAccountsForEveryItem() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("config")
        let report = try importJSON(try export(withExtra: false), into: out)
        let counts = try XCTUnwrap(report["counts"] as? [String: Int])
        let skipped = try XCTUnwrap(report["notImported"] as? [[String: Any]])
        func skippedCount(_ resource: String) -> Int { skipped.filter { $0["resource"] as? String == resource }.count }
        // Every item of a list is an entry or a line of the report.
        XCTAssertEqual(counts["agents"]! + skippedCount("user"), try webexItems("user").count)
        XCTAssertEqual(counts["teams"]! + skippedCount("team"), try webexItems("team").count)
        XCTAssertEqual(counts["entryPoints"]! + skippedCount("entry-point"), try webexItems("entry-point").count)
        XCTAssertEqual(counts["queues"]! + skippedCount("contact-service-queue"), try webexItems("contact-service-queue").count)
        XCTAssertEqual(counts["wrapUpReasons"]! + skippedCount("auxiliary-code"), try webexItems("auxiliary-code").count)
        XCTAssertEqual(counts["multimediaProfiles"]! + skippedCount("multimedia-profile"), try webexItems("multimedia-profile").count)
        let reasons = skipped.map { $0["reason"] as! String }
        XCTAssertTrue(reasons.contains { $0.contains("idle code") })
        XCTAssertTrue(reasons.contains { $0.contains("agent-based") })
        XCTAssertTrue(reasons.contains { $0.contains("contactCenterEnabled is false") })
        XCTAssertTrue(reasons.contains { $0.contains("GOOGLE_BUSINESS_MESSAGES") })
        let changed = try XCTUnwrap(report["changed"] as? [[String: Any]]).map { $0["message"] as! String }
        XCTAssertTrue(changed.contains { $0.contains("manually assignable slots") })
        XCTAssertTrue(changed.contains { $0.contains("CIRCULAR") })
        let unmapped = try XCTUnwrap(report["unmappedFields"] as? [[String: Any]])
        XCTAssertTrue(unmapped.contains { $0["resource"] as? String == "user" && $0["field"] as? String == "ciUserId" && $0["items"] as? Int == 200 })
        // Inactive users import inactive; inactive wrap-up codes too.
        let agents = try String(contentsOf: out.appendingPathComponent("agents.yaml"), encoding: .utf8)
        let inactiveUsers = try webexItems("user").filter { $0["active"] as? Bool == false && $0["contactCenterEnabled"] as? Bool != false }
        XCTAssertFalse(inactiveUsers.isEmpty)
        XCTAssertEqual(agents.components(separatedBy: "active: false").count - 1, inactiveUsers.count)

        let text = try outboundctl([
            "import", "webex", try export(withExtra: false).path, "--out", try temporaryDirectory(self).appendingPathComponent("text").path,
        ])
        XCTAssertEqual(text.status, 0, text.stderr)
        for heading in ["To fill in (", "Not imported (", "Changed to fit the format (", "Webex fields with no place in the format ("] {
            XCTAssertTrue(text.stdout.contains(heading), heading + "\n" + text.stdout)
        }
        XCTAssertTrue(text.stdout.contains("tenant.digitalChannels (tenant.yaml)"), text.stdout)
    }

    /// Bad input is an error located by file and JSON path (extra.yaml by line and column),
    /// exit 1, and nothing is written; an unknown file name is a warning.
    func testBadInputIsLocatedAndWritesNothing() throws {
        func attempt(_ change: (URL) throws -> Void, expect: [String], line: UInt = #line) throws {
            let source = try export(withExtra: false)
            try change(source)
            let out = try temporaryDirectory(self).appendingPathComponent("never")
            let result = try outboundctl(["import", "webex", source.path, "--out", out.path])
            XCTAssertEqual(result.status, 1, result.stdout, line: line)
            for text in expect { XCTAssertTrue(result.stderr.contains(text), "\(text) in:\n\(result.stderr)", line: line) }
            XCTAssertTrue(result.stderr.contains("nothing written"), result.stderr, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing is written", line: line)
        }
        try attempt(
            { try "[{\"id\": \"x\",".write(to: $0.appendingPathComponent("site.json"), atomically: true, encoding: .utf8) },
            expect: ["site.json: $: error: not valid JSON"])
        try attempt(
            { source in
                let file = source.appendingPathComponent("team.json")
                let text = try String(contentsOf: file, encoding: .utf8)
                try text.replacingOccurrences(of: "\"active\": true", with: "\"active\": \"yes\"").write(to: file, atomically: true, encoding: .utf8)
            }, expect: ["team.json: $.data[0].active: error:", "a boolean"])
        // Text that lenient parsers let through is not JSON: a raw control character in a string.
        try attempt(
            { source in
                let file = source.appendingPathComponent("site.json")
                let text = try String(contentsOf: file, encoding: .utf8)
                try text.replacingOccurrences(of: "Lisbon", with: "Lis\u{01}bon").write(to: file, atomically: true, encoding: .utf8)
            }, expect: ["site.json: $: error: not valid JSON at line 6, column 17: a control character in a string (JSON needs it escaped)"])
        // A field the import reads that breaks Cisco's schema refuses the export, wherever it is.
        try attempt(
            { source in
                let file = source.appendingPathComponent("user.2.json")
                let text = try String(contentsOf: file, encoding: .utf8)
                try text.replacingOccurrences(of: "\"teamIds\": ", with: "\"teamIds\": \"t1\", \"x\": ").write(
                    to: file, atomically: true, encoding: .utf8)
            }, expect: ["user.2.json: $.data[0].teamIds: error: expected an array, found \"t1\""])
        // A null in a read member Cisco's schema requires is an error; in one it does not
        // require, it is read as absent, which the import refuses where it needs the value.
        try attempt(
            { try self.editItems(of: "site.json", in: $0) { index, item in if index == 1 { item["name"] = NSNull() } } },
            expect: ["site.json: $[1].name: error: expected a string, found null"])
        try attempt(
            { try self.editItems(of: "user-profile.json", in: $0) { index, item in if index == 2 { item["id"] = NSNull() } } },
            expect: ["user-profile.json: $.data[2].id: error: expected a string, found null"])
        try attempt(
            { source in
                let file = source.appendingPathComponent("team.json")
                let siteId = try XCTUnwrap(try self.webexItems("team").first?["siteId"] as? String)
                let text = try String(contentsOf: file, encoding: .utf8)
                try text.replacingOccurrences(of: siteId, with: "00000000-0000-0000-0000-000000000000").write(
                    to: file, atomically: true, encoding: .utf8)
            }, expect: ["team.json: $.data[0].siteId: error:", "is not the id of any item of site.json"])
        try attempt(
            {
                try "entryPoints:\n  Support Emial: { address: a@b.example }\n".write(
                    to: $0.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
            },
            expect: ["extra.yaml:2:3: error[OB201]", "did you mean 'Support Email'?"])
        try attempt(
            {
                try "entryPoints:\n  Support SMS: { address: support@harbor.example }\n".write(
                    to: $0.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
            },
            expect: ["extra.yaml:2:27: error[OB306]", "E.164"])

        let empty = try temporaryDirectory(self).appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try outboundctl(["import", "webex", empty.path, "--out", empty.appendingPathComponent("out").path, "--format", "json"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no Webex export files"), none.stderr)
        XCTAssertEqual((none.json?["error"] as? [String: Any])?["code"] as? String, "invalid-export")

        let source = try export(withExtra: true)
        try "[]".write(to: source.appendingPathComponent("users.json"), atomically: true, encoding: .utf8)
        let warned = try outboundctl(["import", "webex", source.path, "--out", try temporaryDirectory(self).appendingPathComponent("out").path])
        XCTAssertEqual(warned.status, 0, warned.stderr)
        XCTAssertTrue(warned.stderr.contains("users.json: $: warning: not a Webex list this import reads"), warned.stderr)
    }

    /// Schema problems in fields the import does not read, and nulls in optional fields it
    /// reads, do not stop it (SPEC §9): the items are imported, and each list and field gets one
    /// line of the report counting them, with the first located, in text and JSON.
    func testSchemaProblemsTheImportCanGoOnWithAreCountedPerListAndField() throws {
        let source = try export(withExtra: false)
        // Every user's createdTime is null (the document marks nothing nullable), on both pages.
        for name in ["user.json", "user.2.json"] {
            try editItems(of: name, in: source) { _, item in item["createdTime"] = NSNull() }
        }
        // The second user's site is null: read as absent, so its agent's site is to fill.
        var userWithoutSite = ""
        try editItems(of: "user.json", in: source) { index, item in
            guard index == 1 else { return }
            item["siteId"] = NSNull()
            userWithoutSite = item["id"] as! String
        }
        // An unread member of the wrong type, and an unread required one missing.
        try editItems(of: "entry-point.json", in: source) { index, item in
            if index == 3 { item["maximumActiveContacts"] = "many" }
            if index >= 5 { item["assetId"] = nil }
        }
        let plain = try importJSON(try export(withExtra: false), into: try temporaryDirectory(self).appendingPathComponent("plain"))
        XCTAssertEqual((plain["schemaWarnings"] as? [[String: Any]])?.count, 0)

        let out = try temporaryDirectory(self).appendingPathComponent("config")
        let report = try importJSON(source, into: out)
        let warnings = try XCTUnwrap(report["schemaWarnings"] as? [[String: Any]])
        func line(_ warning: [String: Any]) -> String {
            ["resource", "field", "reason", "items", "file", "jsonPath", "message"].map { "\(warning[$0] ?? "-")" }.joined(separator: " | ")
        }
        XCTAssertEqual(
            warnings.map(line),
            [
                "user | createdTime | not-read | 200 | user.json | $.data[0].createdTime | expected an integer, found null",
                "user | siteId | null-read-as-absent | 1 | user.json | $.data[1].siteId | expected a string, found null",
                "entry-point | assetId | not-read | 9 | entry-point.json | $[5].assetId | required by Cisco's schema, missing",
                #"entry-point | maximumActiveContacts | not-read | 1 | entry-point.json | $[3].maximumActiveContacts | expected an integer, found "many""#,
            ])
        // Every item imported as without the changes, but the agent whose site is now to fill.
        XCTAssertEqual(report["counts"] as? [String: Int], plain["counts"] as? [String: Int])
        let agent = try XCTUnwrap(try importedAgentIds(out)[userWithoutSite])
        let fill = Set(try XCTUnwrap(report["fill"] as? [[String: Any]]).map { $0["path"] as! String })
        let plainFill = Set(try XCTUnwrap(plain["fill"] as? [[String: Any]]).map { $0["path"] as! String })
        XCTAssertEqual(fill.subtracting(plainFill), ["agents.\(agent).site"])

        let text = try outboundctl(["import", "webex", source.path, "--out", try temporaryDirectory(self).appendingPathComponent("text").path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Fields that break Cisco's schema (4)"), text.stdout)
        XCTAssertTrue(
            text.stdout.contains(
                "  user: 200 items break Cisco's schema in createdTime (expected an integer, found null; first at user.json $.data[0].createdTime) — not read by the import, kept as a warning\n"
            ), text.stdout)
        XCTAssertTrue(
            text.stdout.contains(
                "  user: 1 item breaks Cisco's schema in siteId (expected a string, found null; first at user.json $.data[1].siteId) — read as absent, kept as a warning\n"
            ), text.stdout)
        // One line for the list and field, not one an item, and none on standard error.
        XCTAssertEqual(text.stdout.components(separatedBy: "in createdTime").count - 1, 1, text.stdout)
        XCTAssertFalse(text.stderr.contains("createdTime"), text.stderr)
    }

    // MARK: Helpers

    /// Rewrites the items of one file of an export, given each item's position.
    private func editItems(of name: String, in source: URL, _ change: (Int, inout [String: Any]) -> Void) throws {
        let url = source.appendingPathComponent(name)
        let content = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        var envelope = content as? [String: Any]
        var items = try XCTUnwrap((envelope?["data"] ?? content) as? [[String: Any]], name)
        for index in items.indices { change(index, &items[index]) }
        if envelope != nil { envelope!["data"] = items }
        try JSONSerialization.data(withJSONObject: envelope ?? items).write(to: url)
    }

    /// The items of one list of the fixture, pages joined.
    private func webexItems(_ resource: String) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.appendingPathComponent("tenant").path).sorted()
        where name == "\(resource).json" || (name.hasPrefix("\(resource).") && name.dropFirst(resource.count + 1).first?.isNumber == true) {
            let value = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.appendingPathComponent("tenant/\(name)")))
            items += (value as? [[String: Any]]) ?? ((value as? [String: Any])?["data"] as? [[String: Any]] ?? [])
        }
        return items
    }

    /// Agent ids by Webex id, read from the `externalId` of a directory's agents.yaml.
    private func importedAgentIds(_ directory: URL) throws -> [String: String] {
        var ids: [String: String] = [:]
        var current: String?
        for line in try String(contentsOf: directory.appendingPathComponent("agents.yaml"), encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
            } else if let range = line.range(of: "    externalId: "), let current {
                ids[String(line[range.upperBound...])] = current
            }
        }
        return ids
    }
}
