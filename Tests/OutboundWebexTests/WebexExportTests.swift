import Foundation
import OutboundConfig
import OutboundWebex
import XCTest

/// Reading a Webex export (SPEC §9): both list forms, pages in order, and every problem
/// located by file and JSON path.
final class WebexExportTests: XCTestCase {
    private let tenant = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant")

    /// A directory of `files`, their items completed with what Cisco's schemas require unless
    /// `completing` is false.
    private func directory(_ files: [String: String], completing: Bool = true) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("webex-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        for (name, text) in files {
            try Data((completing ? WebexRequiredFields.complete(file: name, text) : text).utf8).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    private func problems(_ files: [String: String]) throws -> [String] {
        WebexExport.read(directory: try directory(files)).problems.map(\.description)
    }

    private let profile =
        #"{"id": "m1", "name": "Voice", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED"}"#
    private let site = #"{"id": "s1", "name": "Lisbon", "active": true, "multimediaProfileId": "m1"}"#

    func testTheFixtureTenantReadsWithoutProblems() throws {
        let (export, problems) = WebexExport.read(directory: tenant)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(export.sites.map(\.name), ["Lisbon", "Porto Harbor", "Sao Paulo"])
        XCTAssertEqual(export.teams.count, 7)
        XCTAssertEqual(export.users.count, 200)
        XCTAssertEqual(export.multimediaProfiles.count, 7)
        XCTAssertEqual(export.userProfiles.count, 5)
        XCTAssertEqual(export.agentProfiles.count, 4)
        XCTAssertEqual(export.entryPoints.count, 14)
        XCTAssertEqual(export.queues.count, 9)
        XCTAssertEqual(export.auxiliaryCodes.count, 9)
        let emailManual = try XCTUnwrap(export.multimediaProfiles.first { $0.name == "Email Manual" })
        XCTAssertEqual(emailManual.manuallyAssignable?.email, 5)
        XCTAssertEqual(emailManual.email, 0)
        let sms = try XCTUnwrap(export.entryPoints.first { $0.name == "Support SMS" })
        XCTAssertEqual(sms.channelType, .socialChannel)
        XCTAssertEqual(sms.socialChannelType, .messageBird)
        let email = try XCTUnwrap(export.queues.first { $0.name == "Email Tier 1" })
        XCTAssertEqual(email.teamIds.count, 2)
    }

    /// The item types decode only the fields the mapping reads (`WebexResource.mappedFields`):
    /// with every other field of the fixture tenant made a list of nulls, every item still
    /// reads as it did, and each of those fields is counted as a warning (SPEC §9).
    func testWhateverTheUnreadFieldsHoldTheItemsReadAsTheyDid() throws {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: tenant.path) where name.hasSuffix(".json") {
            let mapped = try XCTUnwrap(WebexResource.parse(fileName: name)).resource.mappedFields
            func spoiled(_ item: JSON) -> JSON {
                guard case .object(let members) = item else { return item }
                return .object(members.map { mapped.contains($0.0) ? $0 : ($0.0, .array([.null, .null])) })
            }
            let json = try JSON.parse(String(decoding: try Data(contentsOf: tenant.appendingPathComponent(name)), as: UTF8.self))
            switch json {
            case .array(let items):
                files[name] = JSON.array(items.map(spoiled)).rendered()
            case .object(var members):
                let data = try XCTUnwrap(members.firstIndex { $0.0 == "data" })
                guard case .array(let items) = members[data].1 else { return XCTFail("\(name): data is no list") }
                members[data].1 = .array(items.map(spoiled))
                files[name] = JSON.object(members).rendered()
            default:
                XCTFail("\(name): no list")
            }
        }
        let (original, _) = WebexExport.read(directory: tenant)
        let (export, problems) = WebexExport.read(directory: try directory(files, completing: false))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(export.multimediaProfiles, original.multimediaProfiles)
        XCTAssertEqual(export.sites, original.sites)
        XCTAssertEqual(export.teams, original.teams)
        XCTAssertEqual(export.users.map(\.id), original.users.map(\.id))
        XCTAssertEqual(export.users.map(\.email), original.users.map(\.email))
        XCTAssertEqual(export.userProfiles, original.userProfiles)
        XCTAssertEqual(export.agentProfiles, original.agentProfiles)
        XCTAssertEqual(export.entryPoints, original.entryPoints)
        XCTAssertEqual(export.queues, original.queues)
        XCTAssertEqual(export.auxiliaryCodes, original.auxiliaryCodes)
        let unread = WebexResource.allCases.flatMap { resource in
            (original.fieldCounts[resource] ?? [:]).filter { !resource.mappedFields.contains($0.key) }.map {
                "\(resource.rawValue).\($0.key) \($0.value)"
            }
        }
        XCTAssertEqual(Set(export.fieldWarnings.map { "\($0.resource.rawValue).\($0.field) \($0.items)" }), Set(unread))
        XCTAssertTrue(export.fieldWarnings.allSatisfy { $0.reason == .notRead })
        XCTAssertGreaterThan(unread.count, 50)
    }

    func testPagesJoinInPageOrderWhateverTheirNamesSortAs() throws {
        func page(_ ids: [Int]) -> String {
            #"{"meta": {"page": 0}, "data": ["# + ids.map { #"{"id": "u\#($0)"}"# }.joined(separator: ",") + "]}"
        }
        // "user.10.json" sorts before "user.2.json" as text; page 10 must still come last.
        var files = ["user.json": page([1])]
        for number in 2...10 { files["user.\(number).json"] = page([number]) }
        let (export, problems) = WebexExport.read(directory: try directory(files))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(export.users.map(\.id), (1...10).map { "u\($0)" })
    }

    func testAMissingPageIsAnError() throws {
        XCTAssertEqual(
            try problems(["user.json": "[]", "user.3.json": "[]"]),
            ["user.2.json: $: error: missing: user.3.json is there, so every page before it must be"])
        // A gap is one problem however many pages it spans.
        XCTAssertEqual(
            try problems(["user.2.json": "[]", "user.4.json": "[]", "user.10000000.json": "[]"]),
            [
                "user.json: $: error: missing: user.10000000.json is there, so every page before it must be",
                "user.3.json: $: error: missing: user.10000000.json is there, so every page before it must be",
                "user.5.json: $: error: missing, and so are the pages to user.9999999.json (9999995 pages): user.10000000.json is there, so every page before it must be",
            ])
    }

    /// A small file can hold a million bad items: the first 100 problems of a file are spelled
    /// out, and one line counts the rest.
    func testAFileSaysItsFirstHundredProblemsAndCountsTheRest() throws {
        // Each {} is a team without the id the import needs: one problem an item.
        let empty = "[" + Array(repeating: "{}", count: 20_000).joined(separator: ",") + "]"
        let started = Date()
        let found = try problems(["team.json": empty])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(found.count, 101)
        XCTAssertEqual(found[0], "team.json: $[0].id: error: required by Cisco's schema, missing")
        XCTAssertEqual(found[99], "team.json: $[99].id: error: required by Cisco's schema, missing")
        XCTAssertEqual(found.last, "team.json: $: error: and problems in 19900 more items in this file (the first 100 problems are shown)")
        // Items with several problems each (sites miss three read members): the first 100
        // problems, whole items first.
        let sites = try problems(["site.json": empty])
        XCTAssertEqual(sites.count, 101)
        XCTAssertEqual(
            sites.last, "site.json: $: error: and 2 more problems and problems in 19966 more items in this file (the first 100 problems are shown)")
    }

    /// A sparse file over the configuration files' size limit is refused without being read.
    func testAFileOverTheSizeLimitIsRefused() throws {
        let url = try directory(["site.json": "[]"])
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent("site.json"))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        XCTAssertEqual(
            WebexExport.read(directory: url).problems.map(\.description), ["site.json: $: error: 314572800 bytes, over the limit of 256 MiB a file"])
    }

    /// What is read is what was opened: the limit holds through a symbolic link, and what is no
    /// regular file (a pipe would block the import for ever) is refused unread.
    func testOnlyRegularFilesWithinTheLimitAreRead() throws {
        let url = try directory(["site.json": "[]"])
        let large = url.appendingPathComponent("large.bin")
        XCTAssertTrue(FileManager.default.createFile(atPath: large.path, contents: nil))
        let handle = try FileHandle(forWritingTo: large)
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        try FileManager.default.createSymbolicLink(at: url.appendingPathComponent("user.json"), withDestinationURL: large)
        XCTAssertEqual(mkfifo(url.appendingPathComponent("team.json").path, 0o600), 0)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("user-profile.json"), withIntermediateDirectories: false)
        XCTAssertEqual(
            WebexExport.read(directory: url).problems.map(\.description),
            [
                "team.json: $: error: not a regular file (a directory, a device or a pipe); left unread",
                "user.json: $: error: 314572800 bytes, over the limit of 256 MiB a file",
                "user-profile.json: $: error: not a regular file (a directory, a device or a pipe); left unread",
            ])
    }

    /// A paged envelope with two `data` members is refused: other JSON readers take the last.
    func testARepeatedMemberOfTheEnvelopeIsAnError() throws {
        XCTAssertEqual(
            try problems(["site.json": #"{"data": [], "meta": {}, "data": [\#(site)]}"#]),
            ["site.json: $.data: error: appears twice in this object"])
    }

    func testInvalidJSONIsLocatedAtItsFile() throws {
        XCTAssertEqual(
            try problems(["site.json": "[{\"id\": ", "team.json": "[{\"id\" 1}]"]),
            [
                "site.json: $: error: not valid JSON at line 1, column 9: the text ends too soon",
                "team.json: $: error: not valid JSON at line 1, column 8: not what JSON has here",
            ])
        // A byte-order mark is not counted in the place.
        XCTAssertEqual(
            try problems(["team.json": "\u{FEFF}[\n{\"id\" 1}]"]), ["team.json: $: error: not valid JSON at line 2, column 7: not what JSON has here"]
        )
    }

    func testAWrongTypeIsLocatedAtItsJSONPathAndEveryBadItemIsReported() throws {
        let users = #"{"data": [{"id": "u1"}, {"id": "u2", "teamIds": "t1"}, {"id": "u3", "active": "yes"}]}"#
        XCTAssertEqual(
            try problems(["user.2.json": users, "user.json": "[]"]),
            [
                "user.2.json: $.data[1].teamIds: error: expected an array, found \"t1\"",
                "user.2.json: $.data[2].active: error: expected a boolean, found \"yes\"",
            ])
    }

    func testAMissingRequiredFieldAndAValueOutsideAnEnumerationAreLocated() throws {
        let entryPoint =
            #"[{"id": "e1", "name": "SMS", "entryPointType": "INBOUND", "channelType": "SMS", "socialChannelType": "MESSAGEBIRD", "active": true}]"#
        // Problems come in the order of SPEC §9's list of files: sites before entry points.
        XCTAssertEqual(
            try problems(["site.json": #"[{"id": "s1", "name": "Lisbon", "active": true}]"#, "entry-point.json": entryPoint]),
            [
                "site.json: $[0].multimediaProfileId: error: required by Cisco's schema, missing",
                "entry-point.json: $[0].channelType: error: \"SMS\" is not one of TELEPHONY, EMAIL, FAX, CHAT, VIDEO, OTHERS, SOCIAL_CHANNEL",
            ])
    }

    func testAnUnknownFileIsWarnedAndLeftOut() throws {
        let files = [
            "users.json": "[{\"id\": 1}]", "site.json": "[\(site)]", "multimedia-profile.json": "[\(profile)]", "extra.yaml": "tenant: {}",
            "user.1.json": "[]", "teams2.json": "[]", "calendar.json": "[]", "extra.yml": "tenant: {}",
        ]
        let (export, problems) = WebexExport.read(directory: try directory(files))
        XCTAssertEqual(
            problems.map(\.description),
            [
                "calendar.json: $: warning: not a Webex list this import reads; left out (the lists are multimedia-profile, site, team, user, user-profile, agent-profile, entry-point, contact-service-queue, auxiliary-code)",
                "teams2.json: $: warning: not a Webex list this import reads; left out (did you mean 'team.json'?)",
                "user.1.json: $: warning: not a Webex list this import reads; left out (pages are user.json, user.2.json, user.3.json, …)",
                "users.json: $: warning: not a Webex list this import reads; left out (did you mean 'user.json'?)",
                "extra.yml: $: warning: not read: the import reads what the API does not hold from extra.yaml only",
            ])
        XCTAssertEqual(export.sites.count, 1)
        XCTAssertEqual(export.users.count, 0)
    }

    func testADanglingReferenceIsLocatedAtItsJSONPath() throws {
        let team = #"{"data": [{"id": "t1", "siteId": "s9", "userIds": ["u1", "u2"]}]}"#
        let queue =
            #"[{"id": "q1", "name": "Q", "channelType": "EMAIL", "active": true, "routingType": "LINEAR", "queueRoutingType": "TEAM_BASED", "#
            + #""serviceLevelThreshold": 30, "maxTimeInQueue": 60, "callDistributionGroups": [{"agentGroups": [{"teamId": "t1"}]}, {"agentGroups": [{"teamId": "t7"}]}]}]"#
        let files = [
            "multimedia-profile.json": "[\(profile)]", "site.json": "[\(site)]", "team.json": team,
            "user.json": #"[{"id": "u1", "siteId": "s1", "teamIds": ["t1", "t2"]}]"#, "contact-service-queue.json": queue,
        ]
        XCTAssertEqual(
            try problems(files),
            [
                "team.json: $.data[0].siteId: error: 's9' is not the id of any item of site.json",
                "team.json: $.data[0].userIds[1]: error: 'u2' is not the id of any item of user.json",
                "user.json: $[0].teamIds[1]: error: 't2' is not the id of any item of team.json",
                "contact-service-queue.json: $[0].callDistributionGroups[1].agentGroups[0].teamId: error: 't7' is not the id of any item of team.json",
            ])
    }

    func testAReferenceIntoAnAbsentFileIsOneErrorForTheReferringFile() throws {
        let sites = "[\(site), " + #"{"id": "s2", "name": "Porto", "active": true, "multimediaProfileId": "m2"}]"#
        XCTAssertEqual(
            try problems(["site.json": sites]),
            ["site.json: $: error: refers to multimedia-profile ids, but there is no multimedia-profile.json"])
    }

    func testARepeatedIdIsAnError() throws {
        let (export, problems) = WebexExport.read(
            directory: try directory(["user.json": #"[{"id": "u1"}]"#, "user.2.json": #"{"data": [{"id": "u1"}]}"#]))
        XCTAssertEqual(problems.map(\.description), ["user.2.json: $.data[0].id: error: 'u1' is also the id of $[0] in user.json"])
        XCTAssertEqual(export.users.count, 1)
    }

    func testAnEmptyDirectoryIsAnError() throws {
        let empty = try directory([:])
        let problems = WebexExport.read(directory: empty).problems
        XCTAssertEqual(problems.map(\.severity), [.error])
        XCTAssertTrue(problems[0].message.hasPrefix("no Webex export files"), problems[0].message)
    }

    func testPageFileNames() {
        XCTAssertEqual(WebexResource.parse(fileName: "contact-service-queue.json")?.resource, .queue)
        XCTAssertEqual(WebexResource.parse(fileName: "user.12.json")?.page, 12)
        XCTAssertNil(WebexResource.parse(fileName: "user.1.json"))
        XCTAssertNil(WebexResource.parse(fileName: "user.02.json"))
        XCTAssertNil(WebexResource.parse(fileName: "users.json"))
        XCTAssertNil(WebexResource.parse(fileName: "user.json.bak"))
        XCTAssertEqual(WebexResource.user.fileName(page: 3), "user.3.json")
    }
}
