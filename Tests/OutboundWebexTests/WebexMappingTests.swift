import Foundation
import OutboundConfig
import OutboundWebex
import XCTest

/// The mapping rules of SPEC §9 and docs/webex.md, each on a small export made for it.
final class WebexMappingTests: XCTestCase {
    private let profiles = #"""
        [{"id": "m-push", "name": "Pushed", "telephony": 1, "chat": 2, "email": 2, "social": 1, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED"},
         {"id": "m-manual", "name": "Manual", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED",
          "manuallyAssignable": {"telephony": 0, "chat": 1, "email": 4, "social": 0}},
         {"id": "m-both", "name": "Both", "telephony": 0, "chat": 0, "email": 2, "social": 0, "active": true, "blendingModeEnabled": false, "blendingMode": "EXCLUSIVE",
          "manuallyAssignable": {"telephony": 0, "chat": 0, "email": 3, "social": 0}},
         {"id": "m-odd", "name": "Odd", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "SOMETHING_NEW"},
         {"id": "m-old", "name": "Old", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": false, "blendingModeEnabled": true, "blendingMode": "BLENDED"}]
        """#
    private let sites = #"""
        [{"id": "s1", "name": "Lisboa Centro", "active": true, "multimediaProfileId": "m-old"},
         {"id": "s-old", "name": "Closed", "active": false, "multimediaProfileId": "m-push"}]
        """#
    private let teams = #"""
        {"meta": {}, "data": [{"id": "t1", "name": "Suporte Nível 1", "active": true, "siteId": "s1", "multiMediaProfileId": "m-push", "userIds": ["u1", "u9"]},
                              {"id": "t2", "name": "Suporte Nivel 1", "active": true, "siteId": "s-old", "teamType": "CAPACITY"}]}
        """#
    private let userProfiles = #"""
        [{"id": "p-prem", "name": "Premium", "profileType": "PREMIUM_AGENT", "active": true},
         {"id": "p-std", "name": "Standard", "profileType": "STANDARD_AGENT", "active": false},
         {"id": "p-sup", "name": "Supervisor", "profileType": "SUPERVISOR", "active": true},
         {"id": "p-admin", "name": "Admin", "profileType": "ADMINISTRATOR", "active": true}]
        """#
    private let agentProfiles = #"""
        [{"id": "d-all", "name": "All", "active": true, "accessEntryPoint": "ALL", "accessWrapUpCode": "ALL", "autoWrapUp": true, "autoWrapAfterSeconds": 45},
         {"id": "d-some", "name": "Some", "active": true, "accessEntryPoint": "SPECIFIC", "entryPoints": ["e-email", "Support SMS", "e-chat"],
          "accessWrapUpCode": "SPECIFIC", "wrapUpCodes": ["Resolved"]},
         {"id": "d-none", "name": "None", "active": true, "accessEntryPoint": "NONE", "accessWrapUpCode": "PROVISIONED_VALUE", "autoWrapUp": true, "autoWrapAfterSeconds": 0}]
        """#
    private let entryPoints = #"""
        [{"id": "e-email", "name": "Support Email", "entryPointType": "INBOUND", "channelType": "EMAIL", "socialChannelType": "MESSAGEBIRD", "active": true},
         {"id": "e-sms", "name": "Support SMS", "entryPointType": "INBOUND", "channelType": "SOCIAL_CHANNEL", "socialChannelType": "MESSAGEBIRD", "active": true},
         {"id": "e-wa", "name": "WhatsApp", "entryPointType": "INBOUND", "channelType": "SOCIAL_CHANNEL", "socialChannelType": "WHATSAPP", "active": true},
         {"id": "e-chat", "name": "Chat", "entryPointType": "INBOUND", "channelType": "CHAT", "socialChannelType": "MESSAGEBIRD", "active": true},
         {"id": "e-gbm", "name": "Google", "entryPointType": "INBOUND", "channelType": "SOCIAL_CHANNEL", "socialChannelType": "GOOGLE_BUSINESS_MESSAGES", "active": true},
         {"id": "e-dial", "name": "Outdial", "entryPointType": "OUTBOUND", "channelType": "TELEPHONY", "socialChannelType": "MESSAGEBIRD", "active": true},
         {"id": "e-old", "name": "Old Email", "entryPointType": "INBOUND", "channelType": "EMAIL", "socialChannelType": "MESSAGEBIRD", "active": false},
         {"id": "e-twin1", "name": "Twin", "entryPointType": "INBOUND", "channelType": "EMAIL", "socialChannelType": "MESSAGEBIRD", "active": true},
         {"id": "e-twin2", "name": "Twin", "entryPointType": "INBOUND", "channelType": "EMAIL", "socialChannelType": "MESSAGEBIRD", "active": true}]
        """#
    private let queues = #"""
        {"data": [
         {"id": "q-sms", "name": "SMS Queue", "channelType": "SOCIAL_CHANNEL", "socialChannelType": "MESSAGEBIRD", "active": true, "routingType": "CIRCULAR", "queueRoutingType": "TEAM_BASED",
          "callDistributionGroups": [{"agentGroups": [{"teamId": "t1"}], "order": 1}, {"agentGroups": [{"teamId": "t1"}], "order": 2}], "serviceLevelThreshold": 20, "maxTimeInQueue": 0},
         {"id": "q-vip", "name": "VIP", "channelType": "CHAT", "active": true, "routingType": "LONGEST_AVAILABLE_AGENT", "queueRoutingType": "AGENT_BASED",
          "callDistributionGroups": [], "serviceLevelThreshold": 20, "maxTimeInQueue": 60},
         {"id": "q-work", "name": "Work", "channelType": "WORK_ITEM", "active": true, "routingType": "SKILLS_BASED", "queueRoutingType": "SKILL_BASED",
          "callDistributionGroups": [{"agentGroups": [{"teamId": "t1"}]}], "serviceLevelThreshold": 20, "maxTimeInQueue": 60},
         {"id": "q-email", "name": "Email Queue", "channelType": "EMAIL", "active": true, "routingType": "SKILLS_BASED", "queueRoutingType": "SKILL_BASED",
          "callDistributionGroups": [{"agentGroups": [{"teamId": "t2"}]}], "serviceLevelThreshold": 20, "maxTimeInQueue": 60}]}
        """#
    private let codes = #"""
        [{"id": "c1", "name": "Resolved", "defaultCode": true, "active": true, "workTypeCode": "WRAP_UP_CODE"},
         {"id": "c2", "name": "Spam", "defaultCode": false, "active": false, "workTypeCode": "WRAP_UP_CODE"},
         {"id": "c3", "name": "Lunch", "defaultCode": false, "active": true, "workTypeCode": "IDLE_CODE"}]
        """#
    private let users = #"""
        {"data": [
         {"id": "u1", "firstName": "João", "lastName": "Silva", "email": "Joao.Silva@x.example", "active": true, "contactCenterEnabled": true, "siteId": "s1",
          "teamIds": ["t1"], "agentProfileId": "d-all", "userProfileId": "p-prem", "multimediaProfileId": "m-manual", "ciUserId": "ci1"},
         {"id": "u2", "firstName": "Ana", "lastName": "Std", "email": "ana@x.example", "active": false, "contactCenterEnabled": true, "siteId": "s1",
          "teamIds": ["t1", "t2"], "agentProfileId": "d-some", "userProfileId": "p-std", "ciUserId": "ci2"},
         {"id": "u3", "firstName": "Sup", "lastName": "Er", "email": "sup@x.example", "contactCenterEnabled": true, "siteId": "s-old",
          "teamIds": ["t2"], "agentProfileId": "d-none", "userProfileId": "p-sup"},
         {"id": "u4", "firstName": "Ad", "lastName": "Min", "email": "admin@x.example", "contactCenterEnabled": true, "userProfileId": "p-admin"},
         {"id": "u5", "firstName": "Not", "lastName": "Agent", "email": "na@x.example", "contactCenterEnabled": false, "userProfileId": "p-prem"},
         {"id": "u9", "firstName": "Outside", "email": "out@x.example", "contactCenterEnabled": true, "siteId": "s1", "userProfileType": "PREMIUM_AGENT"}]}
        """#

    private func directory(_ replacing: [String: String] = [:], extra: String? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("webex-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        var files = [
            "multimedia-profile.json": profiles, "site.json": sites, "team.json": teams, "user-profile.json": userProfiles,
            "agent-profile.json": agentProfiles, "entry-point.json": entryPoints, "contact-service-queue.json": queues,
            "auxiliary-code.json": codes, "user.json": users,
        ]
        files.merge(replacing) { $1 }
        if let extra { files["extra.yaml"] = extra }
        for (name, text) in files { try Data(WebexRequiredFields.complete(file: name, text).utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    private func imported(_ replacing: [String: String] = [:], extra: String? = nil) throws -> WebexImport {
        let url = try directory(replacing, extra: extra)
        let (export, problems) = WebexExport.read(directory: url)
        XCTAssertEqual(problems.filter { $0.severity == .error }, [])
        let (extraFile, diagnostics) = WebexExtra.read(directory: url)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), [])
        return WebexImport.map(export, extra: extraFile)
    }

    private func entry(_ result: WebexImport, _ section: Section, _ id: String) -> [String: JSON]? {
        result.sections[section]?.first { $0.id == id }.map { Dictionary($0.fields, uniquingKeysWith: { first, _ in first }) }
    }

    func testSlotsFollowTheirAssignment() throws {
        let result = try imported()
        XCTAssertEqual(entry(result, .multimediaProfiles, "pushed")?["email"], .int(2))
        XCTAssertEqual(entry(result, .multimediaProfiles, "pushed")?["social"], .int(1))
        XCTAssertEqual(entry(result, .multimediaProfiles, "manual")?["email"], .object([("assignment", .string("manual")), ("slots", .int(4))]))
        // Both pushed and manual email slots: the pushed ones, and a line for the manual ones.
        XCTAssertEqual(entry(result, .multimediaProfiles, "both")?["email"], .int(2))
        XCTAssertEqual(entry(result, .multimediaProfiles, "both")?["blending"], .string("exclusive"))
        XCTAssertTrue(result.report.changes.contains { $0.path == "multimediaProfiles.both.email" && $0.message.contains("3 manually assignable") })
        XCTAssertTrue(result.report.changes.contains { $0.path == "multimediaProfiles.manual.chat" })
        // An unknown blending mode is a field to fill; an inactive profile is not imported, and
        // the site that used it loses the reference with a line.
        XCTAssertNil(entry(result, .multimediaProfiles, "odd")?["blending"])
        XCTAssertTrue(result.report.fill.contains { $0.path == "multimediaProfiles.odd.blending" && $0.required })
        XCTAssertNil(entry(result, .multimediaProfiles, "old"))
        XCTAssertTrue(result.report.skipped.contains { $0.webexId == "m-old" && $0.location?.jsonPath == "$[4]" })
        XCTAssertNil(entry(result, .sites, "lisboa-centro")?["multimediaProfile"])
        XCTAssertTrue(result.report.changes.contains { $0.path == "sites.lisboa-centro.multimediaProfile" })
        XCTAssertEqual(entry(result, .sites, "lisboa-centro")?["externalId"], .string("s1"))
    }

    func testChannelsOfEntryPointsAndQueues() throws {
        let result = try imported()
        XCTAssertEqual(entry(result, .entryPoints, "support-email")?["channel"], .string("email"), "EMAIL whatever its socialChannelType")
        XCTAssertEqual(entry(result, .entryPoints, "support-email")?["outbound"], .bool(true))
        XCTAssertEqual(entry(result, .entryPoints, "support-sms")?["channel"], .string("sms"))
        XCTAssertEqual(entry(result, .entryPoints, "support-sms")?["outbound"], .bool(true))
        XCTAssertEqual(entry(result, .entryPoints, "whatsapp")?["channel"], .string("whatsapp"))
        XCTAssertNil(entry(result, .entryPoints, "whatsapp")?["outbound"])
        XCTAssertEqual(entry(result, .entryPoints, "chat")?["channel"], .string("chat"))
        let skipped = Set(result.report.skipped.filter { $0.resource == .entryPoint }.map(\.webexId))
        XCTAssertEqual(skipped, ["e-gbm", "e-dial", "e-old"])
        // Colliding names get a stable suffix.
        XCTAssertEqual(entry(result, .entryPoints, "twin")?["externalId"], .string("e-twin1"))
        XCTAssertEqual(entry(result, .entryPoints, "twin-2")?["externalId"], .string("e-twin2"))
        // Addresses are to fill for email, sms and whatsapp; queues recommended for outbound ones.
        let fills = Set(result.report.fill.map { "\($0.path) \($0.required)" })
        XCTAssertTrue(
            fills.isSuperset(of: [
                "entryPoints.support-email.address true", "entryPoints.support-sms.address true",
                "entryPoints.whatsapp.address true", "entryPoints.support-sms.queue false",
            ]))
        XCTAssertFalse(fills.contains { $0.hasPrefix("entryPoints.chat.") || $0.hasPrefix("entryPoints.whatsapp.queue") })

        XCTAssertEqual(entry(result, .queues, "sms-queue")?["channel"], .string("sms"))
        XCTAssertEqual(entry(result, .queues, "sms-queue")?["teams"], .array([.string("suporte-nivel-1-2")]), "t1: Nível sorts after Nivel")
        XCTAssertNil(entry(result, .queues, "sms-queue")?["routing"], "CIRCULAR imports with the default")
        XCTAssertNil(entry(result, .queues, "sms-queue")?["maxTimeInQueueSeconds"])
        XCTAssertTrue(result.report.changes.contains { $0.path == "queues.sms-queue.routing" && $0.message.contains("CIRCULAR") })
        XCTAssertEqual(entry(result, .queues, "email-queue")?["routing"], .string("skills-based"))
        XCTAssertEqual(Set(result.report.skipped.filter { $0.resource == .queue }.map(\.webexId)), ["q-vip", "q-work"])
    }

    func testAgentsLicencesAndTeams() throws {
        let result = try imported()
        let joao = try XCTUnwrap(entry(result, .agents, "joao.silva"), "the email's local part, folded and lower-cased")
        XCTAssertEqual(joao["name"], .string("João Silva"))
        XCTAssertEqual(joao["licence"], .string("premium-agent"))
        XCTAssertEqual(joao["multimediaProfile"], .string("manual"))
        XCTAssertEqual(joao["externalId"], .string("u1"))
        // Inactive users import inactive; the licence follows the profile type even when the
        // user profile itself is inactive.
        XCTAssertEqual(entry(result, .agents, "ana")?["active"], .bool(false))
        XCTAssertEqual(entry(result, .agents, "ana")?["licence"], .string("standard-agent"))
        XCTAssertEqual(entry(result, .agents, "sup")?["licence"], .string("premium-supervisor"))
        XCTAssertEqual(entry(result, .agents, "out")?["licence"], .string("premium-agent"), "userProfileType when there is no userProfileId")
        XCTAssertNil(entry(result, .agents, "admin"))
        XCTAssertNil(entry(result, .agents, "na"))
        XCTAssertEqual(Set(result.report.skipped.filter { $0.resource == .user }.map(\.webexId)), ["u4", "u5"])
        let licences = Dictionary(
            uniqueKeysWithValues: (result.sections[.licences] ?? []).map { ($0.id, Dictionary($0.fields, uniquingKeysWith: { a, _ in a })) })
        XCTAssertEqual(licences["premium-agent"]?["seats"], .int(2))
        XCTAssertEqual(licences["standard-agent"]?["seats"], .int(1))
        XCTAssertEqual(licences["premium-supervisor"]?["type"], .string("premium-supervisor"))
        // Site s-old is inactive: its team (t2, the bare id: "Nivel" sorts before "Nível") and the
        // agent on it have their site to fill.
        XCTAssertTrue(result.report.fill.contains { $0.path == "teams.suporte-nivel-1.site" })
        XCTAssertTrue(result.report.fill.contains { $0.path == "agents.sup.site" && $0.file == "agents.yaml" })
        XCTAssertTrue(result.report.fill.contains { $0.path == "agents.out.teams" && $0.message.contains("Webex names none") })
        XCTAssertTrue(result.report.fill.contains { $0.path == "agents.out.desktopProfile" })
        XCTAssertEqual(entry(result, .agents, "ana")?["teams"], .array([.string("suporte-nivel-1"), .string("suporte-nivel-1-2")]))
        // Team t1's userIds name u9, whose teamIds do not, and miss u2, whose teamIds name t1.
        let membership = result.report.changes.filter { $0.path == "teams.suporte-nivel-1-2" }.map(\.message)
        XCTAssertEqual(membership.count, 2, "\(membership)")
        XCTAssertTrue(membership.contains { $0.contains("u9") } && membership.contains { $0.contains("u2") })
    }

    /// The example of a list's 200 response in Cisco's document (`v2/team`, `v3/user-profile`):
    /// the v3 one is a JSON text inside a string, quotes and all.
    private func ciscosExample(_ path: String) throws -> JSON {
        let document = try JSON.parse(
            String(
                decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/webex-contact-center.json")), as: UTF8.self
            ))
        let content = try XCTUnwrap(document["paths"]?["/organization/{orgid}/\(path)"]?["get"]?["responses"]?["200"]?["content"]?["*/*"], path)
        let example = try XCTUnwrap(content["example"] ?? content["schema"]?["example"], path)
        guard let text = example.stringValue else { return example }
        return try JSON.parse(String(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst().dropLast()))
    }

    private func replacing(_ members: [(String, JSON)], in item: JSON) -> JSON {
        guard case .object(var all) = item else { return item }
        for (key, value) in members {
            if let index = all.firstIndex(where: { $0.0 == key }) { all[index].1 = value } else { all.append((key, value)) }
        }
        return .object(all)
    }

    /// Issue #26's reproduction: user profiles in the shape of Cisco's own v3 example
    /// (`permissionAccessLevel`, `resourceAccessLevel`, no `accessAll*`) were refused with 10
    /// errors; they import without a problem, and their profile types make the licences.
    func testUserProfilesInTheShapeOfCiscosV3ExampleImportCleanly() throws {
        let page = try ciscosExample("v3/user-profile")
        let example = try XCTUnwrap(page["data"].flatMap { if case .array(let items) = $0 { items.first } else { nil } })
        XCTAssertNotNil(example["permissionAccessLevel"])
        XCTAssertNil(example["accessAllEntryPoints"])
        let profiles = [("p-prem", "Premium", "PREMIUM_AGENT"), ("p-std", "Standard", "STANDARD_AGENT")].map { id, name, type in
            replacing([("id", .string(id)), ("name", .string(name)), ("profileType", .string(type))], in: example)
        }
        guard case .object(var envelope) = page else { return XCTFail("not an object: \(page.rendered())") }
        envelope[envelope.firstIndex { $0.0 == "data" }!].1 = .array(profiles)
        let users = users.replacingOccurrences(of: "p-sup", with: "p-prem").replacingOccurrences(of: "p-admin", with: "p-std")
        // Written as they are, not through the completion of required members.
        let url = try directory(["user.json": users])
        try Data(JSON.object(envelope).rendered().utf8).write(to: url.appendingPathComponent("user-profile.json"))
        let (export, problems) = WebexExport.read(directory: url)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(export.fieldWarnings, [])
        XCTAssertEqual(export.userProfiles.map(\.profileType), [.premiumAgent, .standardAgent])
        let result = WebexImport.map(export, extra: WebexExtra())
        let licences = Dictionary(
            uniqueKeysWithValues: (result.sections[.licences] ?? []).map { ($0.id, Dictionary($0.fields, uniquingKeysWith: { a, _ in a })) })
        XCTAssertEqual(licences["premium-agent"]?["seats"], .int(3))
        XCTAssertEqual(licences["standard-agent"]?["seats"], .int(2))
    }

    /// Cisco's own response examples for teams and queues break its schemas (`createdTime:
    /// "string"`, `overflowNumber: 1245677`, `agentsLastUpdatedTime` as a date text) in fields the
    /// import does not read: they are imported, with those fields counted as warnings.
    func testCiscosOwnTeamAndQueueExamplesImportWithWarnings() throws {
        func first(_ page: JSON) throws -> JSON {
            try XCTUnwrap(page["data"].flatMap { if case .array(let items) = $0 { items.first } else { nil } })
        }
        let team = replacing([("siteId", .string("s1")), ("multiMediaProfileId", .string("m-push"))], in: try first(try ciscosExample("v2/team")))
        let example = try first(try ciscosExample("v2/contact-service-queue"))
        // The list's example has no callDistributionGroups, which the import reads (and the
        // schema requires): a queue listed without them is an error.
        XCTAssertNil(example["callDistributionGroups"])
        let queue = replacing(
            [("callDistributionGroups", .array([.object([("agentGroups", .array([.object([("teamId", .string("t1"))])]))])]))], in: example)
        func withItem(_ text: String, _ item: JSON) throws -> String {
            guard case .object(var envelope) = try JSON.parse(text), let index = envelope.firstIndex(where: { $0.0 == "data" }),
                case .array(let items) = envelope[index].1
            else {
                XCTFail("not a paged list: \(text)")
                return text
            }
            envelope[index].1 = .array(items + [item])
            return JSON.object(envelope).rendered()
        }
        let (export, problems) = WebexExport.read(
            directory: try directory(["team.json": try withItem(teams, team), "contact-service-queue.json": try withItem(queues, queue)]))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(
            export.fieldWarnings.map { "\($0.resource.rawValue).\($0.field) \($0.reason.rawValue) \($0.first.jsonPath): \($0.first.message)" },
            [
                #"team.createdTime not-read $.data[2].createdTime: expected an integer, found "string""#,
                #"team.lastUpdatedTime not-read $.data[2].lastUpdatedTime: expected an integer, found "string""#,
                #"contact-service-queue.agentsLastUpdatedTime not-read $.data[4].agentsLastUpdatedTime: expected an integer, found "2025-03-21T10:30:00Z""#,
                #"contact-service-queue.assistantSkill not-read $.data[4].assistantSkill: expected an object, found "string""#,
                #"contact-service-queue.createdTime not-read $.data[4].createdTime: expected an integer, found "string""#,
                #"contact-service-queue.lastUpdatedTime not-read $.data[4].lastUpdatedTime: expected an integer, found "string""#,
                "contact-service-queue.overflowNumber not-read $.data[4].overflowNumber: expected a string, found 1245677",
                #"contact-service-queue.personalizedAIRouting not-read $.data[4].personalizedAIRouting: expected an object, found "string""#,
            ])
        let result = WebexImport.map(export, extra: WebexExtra())
        XCTAssertEqual(entry(result, .teams, "inline-pcs-team")?["externalId"], .string("93912f11-6017-404b-bf14-5331890b1797"))
        XCTAssertEqual(entry(result, .queues, "queue-1")?["teams"], .array([.string("suporte-nivel-1-2")]))

        let unlisted = WebexExport.read(directory: try directory(["contact-service-queue.json": try withItem(queues, example)])).problems
        XCTAssertEqual(
            unlisted.map(\.description), ["contact-service-queue.json: $.data[4].callDistributionGroups: error: required by Cisco's schema, missing"])
    }

    func testDesktopProfilesAndWrapUpReasons() throws {
        let result = try imported()
        XCTAssertNil(entry(result, .desktopProfiles, "all")?["outboundEntryPoints"], "ALL is the default")
        XCTAssertEqual(entry(result, .desktopProfiles, "all")?["autoWrapUpSeconds"], .int(45))
        // SPECIFIC by id and by name; the chat entry point is not outbound and is counted out.
        XCTAssertEqual(entry(result, .desktopProfiles, "some")?["outboundEntryPoints"], .array([.string("support-email"), .string("support-sms")]))
        XCTAssertEqual(entry(result, .desktopProfiles, "some")?["wrapUpReasons"], .array([.string("resolved")]))
        XCTAssertTrue(result.report.changes.contains { $0.path == "desktopProfiles.some.outboundEntryPoints" && $0.message.hasPrefix("1 of") })
        XCTAssertEqual(entry(result, .desktopProfiles, "none")?["outboundEntryPoints"], .array([]))
        XCTAssertNil(entry(result, .desktopProfiles, "none")?["wrapUpReasons"])
        XCTAssertTrue(result.report.changes.contains { $0.path == "desktopProfiles.none.wrapUpReasons" && $0.message.contains("PROVISIONED_VALUE") })
        XCTAssertTrue(result.report.changes.contains { $0.path == "desktopProfiles.none.autoWrapUpSeconds" })
        XCTAssertEqual(entry(result, .wrapUpReasons, "resolved")?["default"], .bool(true))
        XCTAssertEqual(entry(result, .wrapUpReasons, "spam")?["active"], .bool(false))
        XCTAssertTrue(result.report.skipped.contains { $0.webexId == "c3" && $0.reason.contains("idle code") })

        // A listed entry point that is neither an id nor a name is an error at its JSON path.
        let broken = agentProfiles.replacingOccurrences(of: #""Support SMS""#, with: #""Nowhere""#)
        let url = try directory(["agent-profile.json": broken])
        let bad = WebexImport.map(WebexExport.read(directory: url).export, extra: WebexExtra())
        XCTAssertTrue(bad.hasErrors)
        XCTAssertEqual(
            bad.problems.map(\.description),
            ["agent-profile.json: $[1].entryPoints[1]: error: 'Nowhere' is not the id or name of any item of entry-point.json"])
    }

    func testExtraFillsTheTenantAddressesAndQueues() throws {
        let result = try imported(
            extra: """
                tenant: { name: Acme, digitalChannels: enabled, timezone: America/Sao_Paulo }
                entryPoints:
                  e-email: { address: help@acme.example, queue: Email Queue }
                  Support SMS: { address: "+351910000001", queue: q-sms }
                  WhatsApp: { address: "+351910000002" }
                  Old Email: { address: old@acme.example }
                """)
        XCTAssertEqual(result.tenant.map(\.0), ["name", "digitalChannels", "timezone"])
        XCTAssertEqual(entry(result, .entryPoints, "support-email")?["address"], .string("help@acme.example"))
        XCTAssertEqual(entry(result, .entryPoints, "support-email")?["queue"], .string("email-queue"))
        XCTAssertEqual(entry(result, .entryPoints, "support-sms")?["queue"], .string("sms-queue"))
        XCTAssertEqual(
            Set(result.report.fill.map(\.path)).intersection([
                "tenant.digitalChannels", "entryPoints.support-sms.address",
                "entryPoints.support-email.queue", "entryPoints.whatsapp.address",
            ]), [])
        XCTAssertTrue(result.report.changes.contains { $0.path == "extra.yaml entryPoints.Old Email" })
        XCTAssertFalse(result.hasErrors)
    }

    func testExtraProblemsAreLocated() throws {
        let url = try directory(
            extra: """
                tenant: { digitalChannels: maybe }
                entryPoints:
                  Twin: { address: a@b.example }
                  Suport SMS: { address: "+351910000001" }
                  Support SMS: { address: "not a number", queue: Nope, colour: red }
                """)
        let (export, _) = WebexExport.read(directory: url)
        let (extra, diagnostics) = WebexExtra.read(directory: url)
        let result = WebexImport.map(export, extra: extra)
        let all = (diagnostics + result.extraDiagnostics).sortedByLocation().map {
            "\($0.location.line):\($0.location.column) \($0.code.rawValue) \($0.message)"
        }
        XCTAssertEqual(all.count, 6, all.joined(separator: "\n"))
        XCTAssertTrue(all[0].hasPrefix("1:28 OB112"), all[0])
        XCTAssertTrue(all[1].hasPrefix("3:3 OB201") && all[1].contains("2 entry points; name one by its id (e-twin1, e-twin2)"), all[1])
        XCTAssertTrue(all[2].hasPrefix("4:3 OB201") && all[2].contains("did you mean 'Support SMS'?"), all[2])
        XCTAssertTrue(all[3].hasPrefix("5:27 OB306"), all[3])
        XCTAssertTrue(all[4].hasPrefix("5:50 OB201") && all[4].contains("'Nope' is not the name or id of any queue"), all[4])
        XCTAssertTrue(all[5].hasPrefix("5:56 OB110"), all[5])
    }

    func testFieldsWithoutAPlaceAreListedWithTheirCounts() throws {
        let unmapped = try imported().report.unmappedFields.map { "\($0.resource.rawValue).\($0.field) \($0.items)" }
        XCTAssertTrue(unmapped.contains("user.ciUserId 2"), "\(unmapped)")
        XCTAssertTrue(unmapped.contains("team.teamType 1"), "\(unmapped)")
        XCTAssertTrue(unmapped.contains("user-profile.active 4"), "\(unmapped)")
        XCTAssertFalse(unmapped.contains { $0.hasPrefix("user.email ") || $0.hasPrefix("multimedia-profile.manuallyAssignable ") })
    }

    /// Only the items' own keys count: not the envelope's `meta`, not nested objects' keys;
    /// escaped key names are read as JSON reads them.
    func testFieldCountsReadOnlyTheItemsOwnKeys() throws {
        let url = try directory([
            "user.json": #"""
            {"meta": {"orgid": "o", "page": 0}, "data": [
             {"id": "u1", "email": "a@x.example", "contactCenterEnabled": false, "extra\u0041": {"nested": [1, {"deep": true}]}, "note": "a \"quoted\" ] } text"},
             {"id": "u2", "email": "b@x.example", "contactCenterEnabled": false, "note": "[{"}]}
            """#
        ])
        let (export, problems) = WebexExport.read(directory: url)
        XCTAssertEqual(problems.filter { $0.file == "user.json" }, [])
        XCTAssertEqual(export.fieldCounts[.user], ["id": 2, "email": 2, "contactCenterEnabled": 2, "extraA": 1, "note": 2])
    }

    /// Names that would mislead: a profile called Default Telephony, an idle code sharing a
    /// wrap-up code's name, a byte-order mark, and extra.yaml naming one entry point twice or
    /// giving it a queue of another channel.
    func testNamesThatWouldMislead() throws {
        let result = try imported([
            "multimedia-profile.json": profiles.replacingOccurrences(of: #""name": "Odd""#, with: #""name": "Default Telephony""#),
            "auxiliary-code.json": codes.replacingOccurrences(of: #""name": "Lunch""#, with: #""name": "Resolved""#),
            "site.json": "\u{FEFF}" + sites,
        ])
        XCTAssertEqual(entry(result, .multimediaProfiles, "default-telephony-2")?["externalId"], .string("m-odd"))
        XCTAssertNil(entry(result, .multimediaProfiles, "default-telephony"))
        XCTAssertEqual(entry(result, .desktopProfiles, "some")?["wrapUpReasons"], .array([.string("resolved")]))
        XCTAssertNotNil(entry(result, .sites, "lisboa-centro"), "a byte-order mark is skipped")

        let url = try directory(
            extra: """
                entryPoints:
                  Support SMS: { address: "+351910000001", queue: Email Queue }
                  e-sms: { queue: SMS Queue }
                """)
        let mapped = WebexImport.map(WebexExport.read(directory: url).export, extra: WebexExtra.read(directory: url).0)
        XCTAssertEqual(
            mapped.extraDiagnostics.map { "\($0.location.line) \($0.code.rawValue)" }, ["2 OB202", "3 OB115"],
            mapped.extraDiagnostics.map(\.message).joined(separator: "\n"))
        // Two items of one name in a desktop profile's list: which is meant is unclear.
        let twins = agentProfiles.replacingOccurrences(of: #""entryPoints": ["e-email", "Support SMS", "e-chat"]"#, with: #""entryPoints": ["Twin"]"#)
        let ambiguous = WebexImport.map(WebexExport.read(directory: try directory(["agent-profile.json": twins])).export, extra: WebexExtra())
        XCTAssertEqual(ambiguous.problems.map(\.jsonPath), ["$[1].entryPoints[0]"])
    }

    /// Webex values the format cannot hold, which Cisco's schema allows: slot counts past the
    /// format's ranges, realtime blending without voice and chat, two default wrap-up codes or
    /// none. Each is brought into the format with a line, so the files validate.
    func testValuesPastTheFormatsRangesAreBroughtInWithALine() throws {
        let profiles = #"""
            [{"id": "m-big", "name": "Big", "telephony": 3, "chat": 7, "email": 8, "social": -2, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED_REALTIME"},
             {"id": "m-manual", "name": "Manual", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED_REALTIME",
              "manuallyAssignable": {"telephony": 0, "chat": 0, "email": 15, "social": 0}},
             {"id": "m-old", "name": "Old", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED"},
             {"id": "m-push", "name": "Pushed", "telephony": 1, "chat": 2, "email": 2, "social": 1, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED"}]
            """#
        let twoDefaults = #"""
            [{"id": "c1", "name": "Resolved", "defaultCode": true, "active": true, "workTypeCode": "WRAP_UP_CODE"},
             {"id": "c2", "name": "Escalated", "defaultCode": true, "active": true, "workTypeCode": "WRAP_UP_CODE"}]
            """#
        let result = try imported(["multimedia-profile.json": profiles, "auxiliary-code.json": twoDefaults])
        XCTAssertEqual(entry(result, .multimediaProfiles, "big")?["voice"], .int(1))
        XCTAssertEqual(entry(result, .multimediaProfiles, "big")?["chat"], .int(5))
        XCTAssertEqual(entry(result, .multimediaProfiles, "big")?["email"], .int(5))
        XCTAssertNil(entry(result, .multimediaProfiles, "big")?["social"])
        XCTAssertEqual(entry(result, .multimediaProfiles, "big")?["blending"], .string("blended-realtime"))
        XCTAssertEqual(entry(result, .multimediaProfiles, "manual")?["email"], .object([("assignment", .string("manual")), ("slots", .int(10))]))
        XCTAssertEqual(entry(result, .multimediaProfiles, "manual")?["blending"], .string("blended"))
        XCTAssertEqual(entry(result, .wrapUpReasons, "escalated")?["default"], .bool(true), "the first by id")
        XCTAssertNil(entry(result, .wrapUpReasons, "resolved")?["default"])
        let changed = Set(result.report.changes.map(\.path))
        XCTAssertTrue(
            changed.isSuperset(of: [
                "multimediaProfiles.big.voice", "multimediaProfiles.big.chat", "multimediaProfiles.big.email",
                "multimediaProfiles.big.social", "multimediaProfiles.manual.email.slots", "multimediaProfiles.manual.blending",
                "wrapUpReasons.resolved.default",
            ]), "\(changed)")
        let noDefault =
            #"[{"id": "c1", "name": "Resolved", "defaultCode": false, "active": true, "workTypeCode": "WRAP_UP_CODE"}, {"id": "c2", "name": "Spam", "defaultCode": true, "active": false, "workTypeCode": "WRAP_UP_CODE"}]"#
        let made = try imported(["multimedia-profile.json": profiles, "auxiliary-code.json": noDefault])
        XCTAssertEqual(entry(made, .wrapUpReasons, "resolved")?["default"], .bool(true))
        XCTAssertTrue(made.report.changes.contains { $0.path == "wrapUpReasons.resolved.default" })
        // Neither leaves validate anything to say beyond the fields to fill.
        for result in [result, made] {
            let loaded = ConfigurationLoader(now: Date()).load(documents: result.files().map { (path: $0.name, text: $0.text) })
            let codes = Set(loaded.diagnostics.filter { $0.severity == .error }.map(\.code.rawValue))
            XCTAssertTrue(codes.isSubset(of: ["OB113"]), "\(loaded.diagnostics.map(\.message))")
        }
    }

    func testTheOutputFilesValidateAndAreStable() throws {
        let result = try imported()
        let files = result.files()
        XCTAssertEqual(files.map(\.name), ["tenant.yaml"] + Section.allCases.map { "\($0.rawValue).yaml" })
        XCTAssertEqual(files.map(\.text), try imported().files().map(\.text))
        let loaded = ConfigurationLoader(now: Date()).load(documents: files.map { (path: $0.name, text: $0.text) })
        let errors = Set(loaded.diagnostics.filter { $0.severity == .error }.map(\.path))
        var expected: [String: [String]] = [:]
        for fill in result.report.fill where fill.required {
            expected[String(fill.path[..<fill.path.lastIndex(of: ".")!]), default: []].append(fill.path)
        }
        XCTAssertEqual(
            errors, Set(expected.map { $0.value.count == 1 ? $0.value[0] : $0.key }), loaded.diagnostics.map(\.message).joined(separator: "\n"))
    }
}
