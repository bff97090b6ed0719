import Foundation
import XCTest

/// `webex plan` and `webex push` through the real binary against the fake Webex Contact Center
/// API, which checks every request against Cisco's document and keeps the tenant: a pulled and
/// imported tenant plans nothing; edits plan as update, create, unmanaged and not pushable with
/// their impact; a push lands exactly the planned fields in reference order and nothing else;
/// faults, a killed push and a stale plan end converged, with no duplicate.
final class WebexPushTests: XCTestCase {
    private let seeded = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant")
    private let extraYAML = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/extra.yaml")

    /// A copy of the seeded export with `change` applied to its items (list name → items).
    private func export(_ change: (inout [String: [[String: Any]]]) -> Void) throws -> URL {
        let directory = try temporaryDirectory(self).appendingPathComponent("export")
        try FileManager.default.copyItem(at: seeded, to: directory)
        var lists: [String: [[String: Any]]] = [:]
        for name in ["multimedia-profile", "agent-profile", "team", "auxiliary-code"] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(name).json")))
            lists[name] = (object as? [String: Any])?["data"] as? [[String: Any]] ?? object as? [[String: Any]]
        }
        change(&lists)
        for (name, items) in lists {
            let data = try JSONSerialization.data(withJSONObject: ["meta": ["page": 0, "totalPages": 1], "data": items])
            try data.write(to: directory.appendingPathComponent("\(name).json"))
        }
        return directory
    }

    /// Pulls the fake's tenant and imports it: the files an admin starts from.
    private func adopt(_ fake: FakeWebexServer) throws -> URL {
        let root = try temporaryDirectory(self)
        let raw = root.appendingPathComponent("raw")
        let pulled = try outboundctl(["webex", "pull", "--out", raw.path, "-q"] + fake.connection)
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        try FileManager.default.copyItem(at: extraYAML, to: raw.appendingPathComponent("extra.yaml"))
        let config = root.appendingPathComponent("config")
        let imported = try outboundctl(["import", "webex", raw.path, "--out", config.path, "-q"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        return config
    }

    private func plan(_ fake: FakeWebexServer, _ config: URL, _ extra: [String] = []) throws -> RunResult {
        try outboundctl(["webex", "plan", config.path, "--extra", extraYAML.path] + fake.connection + extra)
    }

    private func push(_ fake: FakeWebexServer, _ config: URL, _ extra: [String] = [], in directory: URL? = nil) throws -> RunResult {
        try outboundctl(
            ["webex", "push", config.path, "--extra", extraYAML.path, "--yes"] + fake.connection + extra,
            in: directory ?? config.deletingLastPathComponent())
    }

    /// The fake's whole tenant now: list → id → item.
    private func state(_ fake: FakeWebexServer) throws -> [String: [String: NSDictionary]] {
        let answer = try http("GET", URL(string: fake.baseURL + "/__fake/state")!)
        let lists = try XCTUnwrap(try JSONSerialization.jsonObject(with: answer.body) as? [String: [[String: Any]]])
        return lists.mapValues { items in Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as! String, $0 as NSDictionary) }) }
    }

    /// The writes the fake logged, as "METHOD list" in order.
    private func writes(_ fake: FakeWebexServer) -> [String] {
        fake.requests.compactMap { request in
            guard let method = request["method"] as? String, method != "GET", let path = request["path"] as? String else { return nil }
            let parts = path.split(separator: "/")
            return "\(method) \(parts.count > 2 ? String(parts[2]) : path)"
        }
    }

    private func assertEveryRequestValid(_ fake: FakeWebexServer, line: UInt = #line) {
        for request in fake.requests {
            XCTAssertTrue(request["invalid"] is NSNull || request["invalid"] == nil, "\(request)", line: line)
        }
    }

    /// The edits of SPEC §10's example: a profile's email from manual to auto-pushed, a new
    /// team, a wrap-up reason removed, an agent's licence type changed.
    private func editAsInTheSpec(_ config: URL) throws {
        try edit(
            config.appendingPathComponent("multimediaProfiles.yaml"), replacing: "    email:\n      assignment: manual\n      slots: 5\n",
            with: "    email: 3\n")
        try edit(
            config.appendingPathComponent("teams.yaml"), replacing: "teams:\n",
            with: "teams:\n  outbound-sms:\n    name: Outbound SMS\n    site: porto-harbor\n    multimediaProfile: email-manual\n")
        try edit(
            config.appendingPathComponent("wrapUpReasons.yaml"),
            replacing: "  escalated:\n    description: Escalated\n    externalId: a52a0011-2108-5005-bbe2-56c73173ce42\n",
            with: "")
        try edit(config.appendingPathComponent("desktopProfiles.yaml"), replacing: "[escalated, resolved]", with: "[resolved]")
        try edit(
            config.appendingPathComponent("agents.yaml"), replacing: "    email: ana.dias+cc@br.harbor.example\n    licence: standard-agent\n",
            with: "    email: ana.dias+cc@br.harbor.example\n    licence: premium-agent\n")
    }

    func testAnImportedPullPlansNothingAndASavedPullMakesNoRequest() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        let planned = try plan(fake, config, ["--detailed-exitcode", "--format", "json"])
        XCTAssertEqual(planned.status, 0, planned.stderr + planned.stdout)
        let json = try XCTUnwrap(planned.json)
        XCTAssertEqual((json["changes"] as? [Any])?.count, 0, planned.stdout)
        XCTAssertEqual((json["unmanaged"] as? [Any])?.count, 0, planned.stdout)
        XCTAssertEqual((json["notPushable"] as? [Any])?.count, 0, planned.stdout)
        XCTAssertEqual(json["org"] as? String, FakeWebexServer.org)
        // --from reads the saved pull: not one request more.
        let before = fake.requests.count
        let raw = config.deletingLastPathComponent().appendingPathComponent("raw")
        let fromSaved = try outboundctl(["webex", "plan", config.path, "--from", raw.path, "--org", FakeWebexServer.org, "--detailed-exitcode"])
        XCTAssertEqual(fromSaved.status, 0, fromSaved.stderr + fromSaved.stdout)
        XCTAssertTrue(fromSaved.stdout.contains("No changes to send"), fromSaved.stdout)
        XCTAssertEqual(fake.requests.count, before)
        assertEveryRequestValid(fake)
    }

    func testEditsPlanAsUpdateCreateUnmanagedAndNotPushableWithTheirImpact() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        let writesBefore = writes(fake)
        let planned = try plan(fake, config, ["--detailed-exitcode", "--format", "json"])
        XCTAssertEqual(planned.status, 2, planned.stderr + planned.stdout)
        let json = try XCTUnwrap(planned.json)
        let changes = try XCTUnwrap(json["changes"] as? [[String: Any]])
        let summary = changes.map { "\($0["action"]!) \($0["resource"]!) \($0["id"]!)" }
        XCTAssertEqual(
            summary,
            [
                "update multimedia-profile email-manual", "create team outbound-sms", "update agent-profile email-specialists-porto",
            ])
        let profile = changes[0]
        XCTAssertEqual(profile["webexId"] as? String, "09873800-be54-53b4-87d3-eda1f0e738c0")
        XCTAssertEqual(profile["matchedBy"] as? String, "externalId")
        let fields = try XCTUnwrap(profile["fields"] as? [[String: Any]])
        XCTAssertEqual(fields.map { $0["webexField"] as? String }, ["email"])
        XCTAssertEqual(fields.first?["old"] as? Int, 0)
        XCTAssertEqual(fields.first?["new"] as? Int, 3)
        let team = changes[1]
        XCTAssertTrue(team["webexId"] is NSNull)
        let teamFields = Dictionary(uniqueKeysWithValues: (team["fields"] as! [[String: Any]]).map { ($0["webexField"] as! String, $0["new"]!) })
        XCTAssertEqual(teamFields["name"] as? String, "Outbound SMS")
        XCTAssertEqual(teamFields["teamType"] as? String, "AGENT")
        XCTAssertEqual(teamFields["teamStatus"] as? String, "IN_SERVICE")
        XCTAssertEqual(teamFields["rankQueuesForTeam"] as? Bool, false)
        XCTAssertEqual(teamFields["multiMediaProfileId"] as? String, "09873800-be54-53b4-87d3-eda1f0e738c0")
        let unmanaged = try XCTUnwrap(json["unmanaged"] as? [[String: Any]])
        XCTAssertEqual(unmanaged.map { $0["name"] as? String }, ["Escalated"])
        XCTAssertEqual(unmanaged.first?["resource"] as? String, "auxiliary-code")
        let notPushable = try XCTUnwrap(json["notPushable"] as? [[String: Any]])
        XCTAssertEqual(notPushable.map { "\($0["resource"]!) \($0["id"]!) \($0["field"]!)" }, ["user ana.dias-cc licence"])
        XCTAssertTrue((notPushable.first?["where"] as? String)?.contains("Control Hub") == true)
        // Email slots pushed to the manual profile's teams make their agents available for email.
        let impact = try XCTUnwrap(json["impact"] as? [[String: Any]])
        XCTAssertFalse(impact.isEmpty)
        XCTAssertTrue(impact.allSatisfy { $0["channel"] as? String == "email" && $0["before"] as? Bool == false && $0["after"] as? Bool == true })
        XCTAssertTrue(impact.contains { $0["team"] as? String == "email-desk" })
        XCTAssertFalse(
            impact.contains {
                $0["agent"] as? String == "ana.dias-cc" && $0["team"] as? String == "chat-social" && $0["channel"] as? String != "email"
            })
        // Text and markdown say the same; nothing was written to the tenant.
        let text = try plan(fake, config)
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("~ multimedia-profile email-manual"), text.stdout)
        XCTAssertTrue(text.stdout.contains("email: 0 → 3"), text.stdout)
        XCTAssertTrue(text.stdout.contains("+ team outbound-sms"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Unmanaged"), text.stdout)
        let markdown = try plan(fake, config, ["--format", "markdown"])
        XCTAssertTrue(markdown.stdout.contains("#### Not pushable"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("#### Outbound availability changes"), markdown.stdout)
        XCTAssertEqual(writes(fake), writesBefore)
        XCTAssertEqual(writesBefore, [])
    }

    func testAPushLandsExactlyThePlannedFieldsInOrderAndThePlanIsThenEmpty() throws {
        // A field the format does not know, on the profile push changes.
        let export = try export { lists in
            lists["multimedia-profile"] = lists["multimedia-profile"]!.map { item in
                var item = item
                if item["id"] as? String == "09873800-be54-53b4-87d3-eda1f0e738c0" { item["vendorNote"] = ["kept": "as it is", "weight": 1.5] }
                return item
            }
        }
        let fake = try FakeWebexServer(export: export, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        let before = try state(fake)
        let teamsFile = try String(contentsOf: config.appendingPathComponent("teams.yaml"), encoding: .utf8)
        let pushed = try push(fake, config, ["--write-ids"])
        XCTAssertEqual(pushed.status, 0, pushed.stderr + pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("✓ created team outbound-sms"), pushed.stdout)
        XCTAssertEqual(writes(fake), ["PUT multimedia-profile", "POST team", "PUT agent-profile"])
        let after = try state(fake)
        // Every entity push did not touch is as it was; the touched ones differ in the planned
        // fields and what every write changes (version, lastUpdatedTime) only.
        let touched: [String: Set<String>] = [
            "09873800-be54-53b4-87d3-eda1f0e738c0": ["email"], "740b9193-99d6-5eaa-ab98-82c550d3a839": ["wrapUpCodes"],
        ]
        for (list, items) in before {
            for (id, item) in items {
                let now = try XCTUnwrap(after[list]?[id], "\(list) \(id) vanished")
                guard let fields = touched[id] else {
                    XCTAssertEqual(now, item, "\(list) \(id) changed")
                    continue
                }
                let keys = Set((item.allKeys + now.allKeys).map { "\($0)" })
                let differing = keys.filter { key in
                    switch (item[key], now[key]) {
                    case (nil, nil): false
                    case (let old?, let new?): !(old as! NSObject).isEqual(new)
                    default: true
                    }
                }
                XCTAssertEqual(Set(differing), fields.union(["version", "lastUpdatedTime"]), "\(list) \(id)")
            }
        }
        let profile = try XCTUnwrap(after["multimedia-profile"]?["09873800-be54-53b4-87d3-eda1f0e738c0"])
        XCTAssertEqual(profile["email"] as? Int, 3)
        XCTAssertEqual(profile["vendorNote"] as? NSDictionary, ["kept": "as it is", "weight": 1.5])
        let created = try XCTUnwrap(after["team"]?.values.first { $0["name"] as? String == "Outbound SMS" })
        XCTAssertEqual(created["teamType"] as? String, "AGENT")
        // --write-ids inserted one line: the rest of the file is as it was.
        let teamId = try XCTUnwrap(created["id"] as? String)
        let written = try String(contentsOf: config.appendingPathComponent("teams.yaml"), encoding: .utf8)
        XCTAssertEqual(written.replacingOccurrences(of: "    externalId: \(teamId)\n", with: ""), teamsFile)
        XCTAssertTrue(written.contains("  outbound-sms:\n    externalId: \(teamId)\n    name: Outbound SMS\n"), written)
        // Afterwards the plan sends nothing; only what is not pushable and unmanaged stays.
        let again = try plan(fake, config, ["--detailed-exitcode", "--format", "json"])
        XCTAssertEqual(again.status, 0, again.stderr + again.stdout)
        XCTAssertEqual((again.json?["changes"] as? [Any])?.count, 0, again.stdout)
        XCTAssertEqual((again.json?["notPushable"] as? [Any])?.count, 1, again.stdout)
        // The journal records every write, and neither it nor any output holds the token.
        let journal = try String(
            contentsOf: config.deletingLastPathComponent().appendingPathComponent(".outboundctl/webex-\(FakeWebexServer.org).journal"),
            encoding: .utf8)
        XCTAssertEqual(journal.components(separatedBy: "\"event\":\"intent\"").count - 1, 3, journal)
        XCTAssertTrue(journal.contains("\"event\":\"end\""), journal)
        for text in [journal, pushed.stdout, pushed.stderr, again.stdout] { XCTAssertFalse(text.contains(FakeWebexServer.token)) }
        assertEveryRequestValid(fake)
    }

    func testUserUpdatesGoInBulkWithTheirVersionsAndOneAtATimeWithoutBulk() throws {
        for bulk in [true, false] {
            let fake = try FakeWebexServer(export: seeded, test: self)
            let config = try adopt(fake)
            let agents = config.appendingPathComponent("agents.yaml")
            let text = try String(contentsOf: agents, encoding: .utf8)
            let moved = text.components(separatedBy: "desktopProfile: frontline\n").count - 1
            XCTAssertGreaterThan(moved, 100, "a bulk request holds 100 users: more make two")
            try text.replacingOccurrences(of: "desktopProfile: frontline\n", with: "desktopProfile: back-office\n").write(
                to: agents, atomically: true, encoding: .utf8)
            let before = try state(fake)
            let pushed = try push(fake, config, ["--rate", "100000"] + (bulk ? [] : ["--no-bulk"]))
            XCTAssertEqual(pushed.status, 0, pushed.stderr + pushed.stdout)
            let userWrites = writes(fake).filter { $0.hasSuffix(" user") }
            if bulk {
                XCTAssertEqual(userWrites, Array(repeating: "PATCH user", count: (moved + 99) / 100))
            } else {
                XCTAssertEqual(userWrites, Array(repeating: "PUT user", count: moved))
            }
            let after = try state(fake)
            var changed = 0
            for (id, user) in before["user"]! where user != after["user"]![id] {
                changed += 1
                let now = after["user"]![id]!
                let keys = Set((user.allKeys + now.allKeys).map { "\($0)" }).filter { key in
                    !((user[key] as? NSObject)?.isEqual(now[key]) ?? (now[key] == nil))
                }
                XCTAssertEqual(keys, ["agentProfileId", "version", "lastUpdatedTime"], id)
            }
            XCTAssertEqual(changed, moved)
            let again = try plan(fake, config, ["--detailed-exitcode"])
            XCTAssertEqual(again.status, 0, again.stderr + again.stdout)
            assertEveryRequestValid(fake)
        }
    }

    func testACreateWhoseIdIsNotItsNamesSlugAndTwoMediaMadeManualConverge() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        // The import would call a team named "Outbound SMS" outbound-sms: this one is sms-out.
        try edit(
            config.appendingPathComponent("teams.yaml"), replacing: "teams:\n",
            with: "teams:\n  sms-out:\n    name: Outbound SMS\n    site: porto-harbor\n")
        // A profile without manually assignable slots gets them for email and social at once.
        try edit(
            config.appendingPathComponent("multimediaProfiles.yaml"), replacing: "    chat: 3\n    email: 2\n    social: 2\n",
            with: "    chat: 3\n    email: {assignment: manual, slots: 4}\n    social: {assignment: manual, slots: 1}\n")
        let pushed = try push(fake, config)
        XCTAssertEqual(pushed.status, 0, pushed.stderr + pushed.stdout)
        let profile = try XCTUnwrap(try state(fake)["multimedia-profile"]?["ca680513-b814-5eb9-810e-8c1897812a24"])
        XCTAssertEqual(profile["email"] as? Int, 0)
        XCTAssertEqual(profile["social"] as? Int, 0)
        XCTAssertEqual((profile["manuallyAssignable"] as? NSDictionary)?["email"] as? Int, 4)
        XCTAssertEqual((profile["manuallyAssignable"] as? NSDictionary)?["social"] as? Int, 1)
        // The next plan finds the team by its Webex name: nothing to send, nothing unmanaged.
        let again = try plan(fake, config, ["--detailed-exitcode", "--format", "json"])
        XCTAssertEqual(again.status, 0, again.stderr + again.stdout)
        XCTAssertEqual((again.json?["changes"] as? [Any])?.count, 0, again.stdout)
        XCTAssertEqual((again.json?["unmanaged"] as? [Any])?.count, 0, again.stdout)
        let teams = try state(fake)["team"]!.values.filter { $0["name"] as? String == "Outbound SMS" }
        XCTAssertEqual(teams.count, 1)
    }

    func testPushesUnderRandomFaultsConvergeWithoutDuplicates() throws {
        let fake = try FakeWebexServer(export: seeded, ["--faults", "429s1:0.04,503:0.06,POST/commitdrop:0.4", "--seed", "11"], test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        var teams = "teams:\n"
        for index in 1...4 { teams += "  night-\(index):\n    name: Night \(index)\n    site: porto-harbor\n" }
        try edit(config.appendingPathComponent("teams.yaml"), replacing: "teams:\n", with: teams)
        let before = try state(fake)
        var runs: [RunResult] = []
        for _ in 1...6 {
            let result = try push(fake, config)
            runs.append(result)
            if result.status == 0 { break }
            XCTAssertEqual(result.status, 3, result.stderr + result.stdout)
        }
        XCTAssertEqual(runs.last?.status, 0, runs.map { $0.stderr + $0.stdout }.joined(separator: "\n---\n"))
        let after = try state(fake)
        // No entity the plan does not change was touched, however often the pushes were cut off.
        let touched: Set<String> = ["09873800-be54-53b4-87d3-eda1f0e738c0", "740b9193-99d6-5eaa-ab98-82c550d3a839"]
        for (list, items) in before {
            for (id, item) in items where !touched.contains(id) { XCTAssertEqual(after[list]?[id], item, "\(list) \(id) changed") }
        }
        let names = after["team"]!.values.compactMap { $0["name"] as? String }
        XCTAssertEqual(names.count, Set(names.map { $0.lowercased() }).count, "duplicate teams: \(names.sorted())")
        for index in 1...4 { XCTAssertTrue(names.contains("Night \(index)"), "\(names)") }
        let again = try plan(fake, config, ["--detailed-exitcode"])
        XCTAssertEqual(again.status, 0, again.stderr + again.stdout)
        // A dropped create was looked up before any second POST: the fake saw the drops.
        XCTAssertTrue(
            fake.requests.contains { $0["fault"] as? String == "commitdrop" && $0["method"] as? String == "POST" },
            "no create was dropped; pick another seed")
        assertEveryRequestValid(fake)
    }

    func testAPushKilledMidwayIsFinishedByRunningItAgain() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        var teams = "teams:\n"
        for index in 1...6 { teams += "  late-\(index):\n    name: Late \(index)\n    site: porto-harbor\n" }
        try edit(config.appendingPathComponent("teams.yaml"), replacing: "teams:\n", with: teams)
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("outboundctl")
        process.arguments = ["webex", "push", config.path, "--extra", extraYAML.path, "--yes", "--rate", "120", "-q"] + fake.connection
        process.currentDirectoryURL = config.deletingLastPathComponent()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once two writes have landed: the push is part way through its nine.
        let deadline = Date().addingTimeInterval(120)
        while writes(fake).count < 2, process.isRunning, Date() < deadline { usleep(20_000) }
        // Meanwhile a second push of the same organisation is refused before it reads anything.
        let second = try push(fake, config)
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("another webex push is running"), second.stderr)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let landedBeforeKill = writes(fake).count
        XCTAssertGreaterThanOrEqual(landedBeforeKill, 2)
        XCTAssertLessThan(landedBeforeKill, 9, "the push ended before it was killed")
        let rerun = try push(fake, config)
        XCTAssertEqual(rerun.status, 0, rerun.stderr + rerun.stdout)
        XCTAssertTrue(rerun.stderr.contains("did not finish"), rerun.stderr)
        let names = try state(fake)["team"]!.values.compactMap { $0["name"] as? String }
        XCTAssertEqual(names.count, Set(names).count, "duplicate teams: \(names.sorted())")
        for index in 1...6 { XCTAssertTrue(names.contains("Late \(index)"), "\(names)") }
        let again = try plan(fake, config, ["--detailed-exitcode"])
        XCTAssertEqual(again.status, 0, again.stderr + again.stdout)
    }

    func testAnEntityChangedInWebexAfterTheSavedPlanIsSkipped() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        // Two agents move to another desktop profile: user updates, sent in bulk.
        let agents = config.appendingPathComponent("agents.yaml")
        try edit(
            agents, replacing: "    teams: [chat-social]\n    desktopProfile: frontline\n",
            with: "    teams: [chat-social]\n    desktopProfile: back-office\n")
        try edit(
            agents, replacing: "    teams: [atencion-clientes]\n    desktopProfile: frontline\n    externalId: 1dfb5bc5",
            with: "    teams: [atencion-clientes]\n    desktopProfile: back-office\n    externalId: 1dfb5bc5")
        let planFile = config.deletingLastPathComponent().appendingPathComponent("tenant.plan")
        let saved = try plan(fake, config, ["--out", planFile.path])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        // Someone changes the same profile and one of the agents in Webex (here: another push,
        // of other files).
        let other = try adopt(fake)
        try edit(
            other.appendingPathComponent("multimediaProfiles.yaml"), replacing: "    description: Agents pick email from the queue\n",
            with: "    description: Changed by someone else\n")
        try edit(
            other.appendingPathComponent("agents.yaml"), replacing: "    teams: [chat-social]\n    desktopProfile: frontline\n",
            with: "    teams: [chat-social]\n    desktopProfile: email-specialists-porto\n")
        let theirs = try push(fake, other)
        XCTAssertEqual(theirs.status, 0, theirs.stderr + theirs.stdout)
        let pushed = try outboundctl(["webex", "push", "--plan", planFile.path, "--yes"] + fake.connection, in: config.deletingLastPathComponent())
        XCTAssertEqual(pushed.status, 1, pushed.stderr + pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("skipped multimedia-profile email-manual"), pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("changed in Webex since the plan"), pushed.stdout)
        let after = try state(fake)
        let profile = try XCTUnwrap(after["multimedia-profile"]?["09873800-be54-53b4-87d3-eda1f0e738c0"])
        XCTAssertEqual(profile["description"] as? String, "Changed by someone else")
        XCTAssertEqual(profile["email"] as? Int, 0)
        // The agent changed meanwhile was refused in the bulk request for its version, then
        // skipped; the other landed.
        XCTAssertTrue(pushed.stdout.contains("skipped user ana.dias-cc"), pushed.stdout)
        XCTAssertEqual(after["user"]?["061bc03d-8e3a-5c5d-88bb-037ea84151ce"]?["agentProfileId"] as? String, "740b9193-99d6-5eaa-ab98-82c550d3a839")
        XCTAssertTrue(pushed.stdout.contains("✓ updated user ana.gomez"), pushed.stdout)
        XCTAssertTrue(writes(fake).contains("PATCH user"))
        // The rest of the plan went on.
        XCTAssertTrue(after["team"]!.values.contains { $0["name"] as? String == "Outbound SMS" })
    }

    func testPruneDeletesAndAReferencedDeleteIsReportedNotRetried() throws {
        // An inactive desktop profile (not imported, so never changed) still lists Escalated.
        let export = try export { lists in
            lists["agent-profile"] = lists["agent-profile"]!.map { item in
                var item = item
                if item["name"] as? String == "Retired Desktop" {
                    item["accessWrapUpCode"] = "SPECIFIC"
                    item["wrapUpCodes"] = ["a52a0011-2108-5005-bbe2-56c73173ce42"]
                }
                return item
            }
        }
        let fake = try FakeWebexServer(export: export, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        // Callback Requested goes too, and nothing refers to it.
        try edit(
            config.appendingPathComponent("wrapUpReasons.yaml"),
            replacing: "  callback-requested:\n    description: Callback Requested\n    externalId: 5e7666a8-cd10-560d-8ce1-98706f397e49\n", with: "")
        let planned = try plan(fake, config, ["--prune", "--format", "json"])
        let changes = try XCTUnwrap(planned.json?["changes"] as? [[String: Any]], planned.stderr + planned.stdout)
        XCTAssertEqual(changes.filter { $0["action"] as? String == "delete" }.map { $0["id"] as? String }, ["callback-requested", "escalated"])
        XCTAssertEqual(changes.last?["action"] as? String, "delete")
        let pushed = try push(fake, config, ["--prune"])
        XCTAssertEqual(pushed.status, 1, pushed.stderr + pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("✓ deleted auxiliary-code callback-requested"), pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("refused auxiliary-code escalated"), pushed.stdout)
        XCTAssertTrue(pushed.stdout.contains("Retired Desktop"), pushed.stdout)
        let deletes = fake.requests.filter { $0["method"] as? String == "DELETE" }.compactMap { $0["path"] as? String }
        XCTAssertEqual(deletes.filter { $0.hasSuffix("a52a0011-2108-5005-bbe2-56c73173ce42") }.count, 1)
        let after = try state(fake)
        XCTAssertNil(after["auxiliary-code"]?["5e7666a8-cd10-560d-8ce1-98706f397e49"])
        XCTAssertNotNil(after["auxiliary-code"]?["a52a0011-2108-5005-bbe2-56c73173ce42"])
    }

    func testAPushOffATerminalWithoutYesSendsNothing() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let config = try adopt(fake)
        try editAsInTheSpec(config)
        let refused = try outboundctl(
            ["webex", "push", config.path, "--extra", extraYAML.path] + fake.connection, in: config.deletingLastPathComponent())
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)
        XCTAssertEqual(writes(fake), [])
        // An externalId that names nothing in the tenant stops the plan.
        try edit(
            config.appendingPathComponent("sites.yaml"), replacing: "externalId: f009afa8-3a56-5e57-bf2c-d1f71ab533a6",
            with: "externalId: 00000000-0000-4000-8000-000000000000")
        let unknown = try plan(fake, config)
        XCTAssertEqual(unknown.status, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("sites.yaml:"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("names no site in the tenant"), unknown.stderr)
    }
}
