import Foundation
import OutboundConfig
import XCTest

@testable import OutboundWebex

/// The small parts a push stands on, each on inputs made for it: an entity written back with
/// only the planned members new, the one-line `externalId` insertion, a saved plan read with
/// located refusals, and the slot forms read backwards.
final class WebexPushPartsTests: XCTestCase {
    func testAnEntityIsWrittenBackWithEveryOtherMemberAsItWasRead() throws {
        let text =
            #"{"id":"p1", "weight": 1.50, "note": "caf\u00e9 \"x\"", "big": 12345678901234567890, "manuallyAssignable": {"telephony":0,"chat":0,"email":4,"social":0}, "email": 2, "version": 7}"#
        var entity = try XCTUnwrap(WebexEntityText(try JSONTape(bytes: Array(text.utf8))))
        XCTAssertEqual(entity.value("manuallyAssignable.email"), .int(4))
        entity.set("email", to: .int(0))
        entity.set("manuallyAssignable.email", to: .int(3))
        entity.set("manuallyAssignable.social", to: .int(1))
        entity.set("added", to: .string("new"))
        entity.set("version", to: nil)
        let written = String(decoding: entity.bytes, as: UTF8.self)
        XCTAssertEqual(
            written,
            #"{"id":"p1","weight":1.50,"note":"caf\u00e9 \"x\"","big":12345678901234567890,"manuallyAssignable":{"telephony":0,"chat":0,"email":3,"social":1},"email":0,"added":"new"}"#
        )
        XCTAssertNil(WebexEntityText(try JSONTape(bytes: Array("[1]".utf8))))
    }

    func testAnExternalIdIsOneLineInsertedUnderTheEntrysKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webex-ids-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("teams.yaml")
        let original =
            "# teams\nteams:\n  # the night shift\n  night:   # comment kept\n\n      name: Night   # odd indent kept\n      site: porto\n  \"day\":\n    name: Day\n"
        try original.write(to: file, atomically: true, encoding: .utf8)
        try ExternalIdWriter.insert("0f1e2d3c-aaaa-4bbb-8ccc-123456789abc", entry: "night", line: 4, in: file.path)
        try ExternalIdWriter.insert("id with: colon", entry: "day", line: 9, in: file.path)
        XCTAssertEqual(
            try String(contentsOf: file, encoding: .utf8),
            "# teams\nteams:\n  # the night shift\n  night:   # comment kept\n      externalId: 0f1e2d3c-aaaa-4bbb-8ccc-123456789abc\n\n      name: Night   # odd indent kept\n      site: porto\n  \"day\":\n    externalId: \"id with: colon\"\n    name: Day\n"
        )
        // CRLF stays CRLF; a flow entry or a line that is not the entry's key is refused, unchanged.
        let crlf = directory.appendingPathComponent("sites.yaml")
        try "sites:\r\n  lisbon:\r\n    name: Lisbon\r\n  porto: {name: Porto}\r\n".write(to: crlf, atomically: true, encoding: .utf8)
        try ExternalIdWriter.insert("abc", entry: "lisbon", line: 2, in: crlf.path)
        XCTAssertEqual(
            try String(contentsOf: crlf, encoding: .utf8),
            "sites:\r\n  lisbon:\r\n    externalId: abc\r\n    name: Lisbon\r\n  porto: {name: Porto}\r\n")
        XCTAssertThrowsError(try ExternalIdWriter.insert("abc", entry: "porto", line: 5, in: crlf.path))
        XCTAssertThrowsError(try ExternalIdWriter.insert("abc", entry: "lisbon", line: 4, in: crlf.path))
        XCTAssertThrowsError(try ExternalIdWriter.insert("abc", entry: "lisbon", line: 99, in: crlf.path))
        // An entry that has its id already keeps it: the same id is no change, another is refused.
        try ExternalIdWriter.insert("abc", entry: "lisbon", line: 2, in: crlf.path)
        XCTAssertThrowsError(try ExternalIdWriter.insert("xyz", entry: "lisbon", line: 2, in: crlf.path))
        XCTAssertEqual(
            try String(contentsOf: crlf, encoding: .utf8),
            "sites:\r\n  lisbon:\r\n    externalId: abc\r\n    name: Lisbon\r\n  porto: {name: Porto}\r\n")
    }

    func testASavedPlanIsReadBackOrRefusedWithItsPlace() throws {
        var plan = WebexPlan(org: "org-1")
        plan.changes = [
            .init(
                action: .update, resource: .multimediaProfile, webexId: "w1", id: "sales", name: "Sales", matchedBy: .name,
                fields: [
                    .init(webexField: "manuallyAssignable.email", old: .int(0), new: .int(3)),
                    .init(webexField: "description", old: .string("x"), new: nil),
                ],
                version: 4, section: .multimediaProfiles, file: "profiles.yaml", line: 3),
            .init(
                action: .create, resource: .team, webexId: nil, id: "night", name: "Night", matchedBy: nil,
                fields: [.init(webexField: "siteId", old: nil, new: .string("<new site porto>"))], version: nil, section: .teams, file: nil, line: nil
            ),
        ]
        let text = WebexPlanFile.text(plan, files: ["profiles.yaml"], toolVersion: "test")
        let saved = try WebexPlanFile.read(Array(text.utf8))
        XCTAssertEqual(saved.plan.org, "org-1")
        // Profiles go before teams, whatever order the file has.
        XCTAssertEqual(saved.plan.changes.map(\.id), ["sales", "night"])
        let update = try XCTUnwrap(saved.plan.changes.first)
        XCTAssertEqual(update.version, 4)
        XCTAssertEqual(update.matchedBy, .name)
        XCTAssertEqual(update.fields.map(\.webexField), ["manuallyAssignable.email", "description"])
        XCTAssertNil(update.fields[1].new)
        XCTAssertEqual(update.line, 3)
        XCTAssertTrue(update.file?.hasPrefix("/") == true)
        for (bad, place) in [
            ("[]", "$.format"), (#"{"format": "outboundctl-webex-plan", "formatVersion": 2}"#, "$.formatVersion"),
            (#"{"format": "outboundctl-webex-plan", "formatVersion": 1, "org": "o", "changes": [{"action": "rename"}]}"#, "$.changes[0].action"),
            (
                #"{"format": "outboundctl-webex-plan", "formatVersion": 1, "org": "o", "changes": [{"action": "update", "resource": "team", "section": "teams", "id": "t"}]}"#,
                "$.changes[0].webexId"
            ),
            (
                #"{"format": "outboundctl-webex-plan", "formatVersion": 1, "org": "o", "changes": [{"action": "delete", "resource": "user-profile", "section": "agents", "id": "t"}]}"#,
                "$.changes[0].resource"
            ),
            ("{", "$"),
            (
                #"{"format": "outboundctl-webex-plan", "formatVersion": 1, "org": "o", "changes": [{"action": "update", "resource": "team", "section": "teams", "id": "t", "webexId": "w", "fields": [{"webexField": "a..b"}]}]}"#,
                "$.changes[0].fields[0].webexField"
            ),
            (
                #"{"format": "outboundctl-webex-plan", "formatVersion": 1, "org": "o", "files": [], "changes": [{"action": "create", "resource": "team", "section": "teams", "id": "t", "file": "/etc/passwd"}]}"#,
                "$.changes[0].file"
            ),
        ] {
            XCTAssertThrowsError(try WebexPlanFile.read(Array(bad.utf8)), bad) { error in
                XCTAssertEqual((error as? WebexPlanFile.Problem)?.path, place, bad)
            }
        }
    }

    func testSlotFormsChannelTypesAndPlaceholdersInReferenceFieldsOnly() {
        XCTAssertTrue(WebexReverseMapping.slots(.int(3)) == (3, nil))
        XCTAssertTrue(WebexReverseMapping.slots(.object([("assignment", .string("manual")), ("slots", .int(4))])) == (0, 4))
        XCTAssertTrue(WebexReverseMapping.slots(nil) == (0, 0))
        XCTAssertTrue(WebexReverseMapping.channelType(.sms) == ("SOCIAL_CHANNEL", "MESSAGEBIRD"))
        XCTAssertTrue(WebexReverseMapping.channelType(.email) == ("EMAIL", nil))
        XCTAssertEqual(WebexPlaceholder.named(in: .array([.object([("teamId", .string("<new team a>"))]), .string("w")])), ["<new team a>"])
        // A description that happens to look like one is text.
        let text = WebexPlan.FieldChange(webexField: "description", old: nil, new: .string("<new team a>"))
        let reference = WebexPlan.FieldChange(webexField: "teamIds", old: nil, new: .array([.string("<new team a>")]))
        XCTAssertEqual(WebexPlaceholder.named(in: text), [])
        XCTAssertEqual(WebexPlaceholder.named(in: reference), ["<new team a>"])
    }
}
