import OutboundConfig
import XCTest

@testable import OutboundWebex

/// Cisco's schemas as `import webex` checks them: the embedded document compiles, patterns are
/// read as Java reads them, and each keyword's problem is said at its JSON path. (Which items
/// pass is compared with a real OpenAPI validator in WebexSchemaAgreementTests.)
final class WebexSchemaTests: XCTestCase {
    func testTheEmbeddedDocumentCompilesEveryListsItemSchema() throws {
        let schemas = try WebexSchema.compileDocument(webexSchemaDocument)
        XCTAssertEqual(Set(schemas.keys), Set(WebexResource.allCases))
        let user = try XCTUnwrap(schemas[.user]?.current)
        XCTAssertEqual(user.type, .object)
        let teamIds = try XCTUnwrap(user.properties[ArraySlice("teamIds".utf8)])
        XCTAssertEqual(teamIds.items?.type, .string)
        XCTAssertEqual(teamIds.uniqueItems, true)
        XCTAssertEqual(schemas[.site]?.current.required.sorted(), ["active", "multimediaProfileId", "name"])
        XCTAssertEqual(schemas[.site]?.current.properties[ArraySlice("name".utf8)]?.pattern?.source, #"^[a-zA-Z\d-_\s]+$"#)
        XCTAssertNil(schemas[.site]?.older)
        // User profiles: v3 items, and the older shape for an item without permissionAccessLevel.
        let profiles = try XCTUnwrap(schemas[.userProfile])
        XCTAssertEqual(profiles.current.required.sorted(), ["active", "name", "permissionAccessLevel", "profileType", "resourceAccessLevel"])
        XCTAssertEqual(profiles.older?.without, "permissionAccessLevel")
        XCTAssertEqual(
            profiles.older?.schema.required.sorted(),
            ["accessAllEntryPoints", "accessAllModules", "accessAllQueues", "accessAllSites", "accessAllTeams", "active", "name", "profileType"])
    }

    func testADocumentWithAKeywordOrFormatItCannotCheckIsRefused() {
        func refusal(_ schema: String) -> String? {
            let document =
                #"{"lists": {"# + WebexResource.allCases.map { #""\#($0.rawValue)": "X""# }.joined(separator: ", ") + #"}, "schemas": {"X": "#
                + schema + "}}"
            do {
                _ = try WebexSchema.compileDocument(document)
                return nil
            } catch {
                return "\(error)"
            }
        }
        XCTAssertNil(refusal(#"{"type": "object", "properties": {"a": {"type": "string", "format": "uuid"}}}"#))
        XCTAssertEqual(
            refusal(#"{"type": "object", "properties": {"a": {"type": "string", "format": "hostname"}}}"#), #"X.properties.a: format "hostname""#)
        XCTAssertEqual(refusal(#"{"type": "tuple"}"#), #"X: type "tuple""#)
        XCTAssertEqual(
            refusal(##"{"properties": {"a": {"$ref": "#/components/schemas/Y"}}}"##),
            ##"X.properties.a: $ref "#/components/schemas/Y" names no schema"##)
        XCTAssertEqual(
            refusal(#"{"properties": {"a": {"pattern": "^(a|b)$"}}}"#),
            "pattern ^(a|b)$: '(' outside what this reads (classes, literals, quantifiers)")
        // Java syntax this does not read is refused, never taken for something else.
        XCTAssertEqual(refusal(#"{"properties": {"a": {"pattern": "^[\\S]+$"}}}"#), #"pattern ^[\S]+$: the escape \S"#)
        XCTAssertEqual(refusal(#"{"properties": {"a": {"pattern": "^a\\b$"}}}"#), #"pattern ^a\b$: the escape \b"#)
        XCTAssertEqual(refusal(#"{"properties": {"a": {"pattern": "^[a-z&&b]$"}}}"#), "pattern ^[a-z&&b]$: class intersections (&&)")
        XCTAssertEqual(refusal(#"{"properties": {"a": {"pattern": "^a{-1}$"}}}"#), "pattern ^a{-1}$: a repetition it cannot read")
        XCTAssertEqual(refusal(#"{"properties": {"a": {"pattern": "^a{2,1}$"}}}"#), "pattern ^a{2,1}$: a repetition it cannot read")
    }

    func testPatternsAreReadAsJavaReadsThem() throws {
        func matches(_ pattern: String, _ value: String) throws -> Bool { try WebexPattern(pattern).matches(ArraySlice(value.utf8)) }
        // After a class escape, '-' is a literal hyphen (Python and ICU refuse this class).
        let name = #"^[a-zA-Z\d-_\s]+$"#
        for accepted in ["Lisbon", "Porto-Harbor_2", "Sao Paulo", "a\tb"] { XCTAssertTrue(try matches(name, accepted), accepted) }
        for refused in ["", "São Paulo", "Porto.Harbor", "a+b", "a\u{00A0}b"] { XCTAssertFalse(try matches(name, refused), refused) }
        // '$' is the end of the value: a trailing new line is not dropped before it.
        XCTAssertFalse(try matches(#"^[a-z]+$"#, "abc\n"))
        XCTAssertTrue(try matches(#"^[a-z]+$"#, "abc"))
        // Counted repetitions and optional characters, as in the organisation id pattern.
        let uuid = "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
        XCTAssertTrue(try matches(uuid, "2f9eecc5-0472-4549-9a83-2afdae0d4ba1"))
        XCTAssertTrue(try matches(uuid, "2f9eecc504724549" + "9a832afdae0d4ba1"))
        XCTAssertFalse(try matches(uuid, "2f9eecc5-0472-4549-9a83-2afdae0d4ba"))
        XCTAssertFalse(try matches(uuid, "2f9eecc5-0472-4549-9a83-2afdae0d4ba1f"))
        XCTAssertFalse(try matches(uuid, "2f9eecc5--0472-4549-9a83-2afdae0d4ba1"))
        // Escaped punctuation in a class, and a pattern anchored at neither end.
        XCTAssertTrue(try matches(#"^[a-zA-Z0-9._)\/(\-\s]*$"#, "Lunch (1/2) - out"))
        XCTAssertTrue(try matches("[0-9]", "ab7c"))
        XCTAssertFalse(try matches("[0-9]", "abc"))
        // Every pattern of Cisco's document compiles.
        XCTAssertNoThrow(try WebexSchema.compileDocument(webexSchemaDocument))
    }

    /// Each problem of one item, at its path below the item, in document order.
    private func problems(_ item: String, _ resource: WebexResource) throws -> [String] {
        try weighedProblems(item, resource).map { "\($0.path): \($0.message)" }
    }

    private func weighedProblems(_ item: String, _ resource: WebexResource) throws -> [WebexSchemaCheck.Problem] {
        let tape = try JSONTape(bytes: Array(item.utf8))
        let check = WebexSchemaCheck(tape: tape, reading: resource.mappedFields)
        return check.problems(of: tape.root, against: WebexSchema.item(of: resource).schema(of: tape.root, on: tape))
    }

    private let site = #""name": "Lisbon", "active": true, "multimediaProfileId": "m1""#

    func testEachKeywordIsCheckedAtItsPath() throws {
        XCTAssertEqual(try problems("{\(site)}", .site), [])
        XCTAssertEqual(
            try problems(#"{"name": "Lisbon", "active": "yes"}"#, .site),
            [
                #".active: expected a boolean, found "yes""#,
                ".multimediaProfileId: required by Cisco's schema, missing",
            ])
        XCTAssertEqual(try problems(#"{\#(site), "name": "Porto"}"#, .site), [".name: appears twice in this object"])
        XCTAssertEqual(
            try problems(#"{\#(site), "organizationId": "not-a-uuid", "createdTime": 1.5}"#, .site),
            [
                #".organizationId: "not-a-uuid" has 10 characters, fewer than the 32 Cisco's schema requires"#,
                #".organizationId: "not-a-uuid" does not match Cisco's pattern ^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"#,
                #".organizationId: "not-a-uuid" is not a UUID (8-4-4-4-12 hex digits)"#,
                ".createdTime: expected an integer, found 1.5",
            ])
        XCTAssertEqual(
            try problems(#"{"id": "u1", "teamIds": ["t1", "t2", "t1"], "skillProfileId": null, "createdTime": 99999999999999999999}"#, .user),
            [
                ".teamIds: items 0 and 2 are the same, and Cisco's schema wants each item once",
                ".skillProfileId: expected a string, found null",
                ".createdTime: 99999999999999999999 is outside int64, the format Cisco's schema gives",
            ])
        XCTAssertEqual(
            try problems(
                #"{"id": "c1", "name": "Lunch!", "active": true, "defaultCode": false, "workTypeCode": "BREAK", "workTypeId": "w"}"#, .auxiliaryCode),
            [
                #".name: "Lunch!" does not match Cisco's pattern ^[a-zA-Z0-9._)\/(\-\s]*$"#,
                #".workTypeCode: "BREAK" is not one of IDLE_CODE, WRAP_UP_CODE"#,
            ])
        XCTAssertEqual(try problems("[]", .team), [": expected an object, found []"])
    }

    /// SPEC §9 weighs a problem by the item's member it is in: only one in a member the mapping
    /// reads refuses the item (a missing required one too); a null in a read member the schema
    /// does not require is read as absent. `isValid`, the check past the limit of spelled-out
    /// problems, judges the same way without looking at unread members.
    func testProblemsAreWeighedByWhetherTheMappingReadsTheirMember() throws {
        func weighed(_ item: String, _ resource: WebexResource) throws -> [String] {
            try weighedProblems(item, resource).map { "\($0.field ?? "-") \($0.weight): \($0.path)" }
        }
        func isValid(_ item: String, _ resource: WebexResource) throws -> Bool {
            let tape = try JSONTape(bytes: Array(item.utf8))
            return WebexSchemaCheck(tape: tape, reading: resource.mappedFields).isValid(tape.root, against: WebexSchema.item(of: resource).current)
        }
        let unread = #"{\#(site), "createdTime": null, "organizationId": "x", "version": "1"}"#
        XCTAssertEqual(
            try weighed(unread, .site),
            [
                "createdTime unreadField: .createdTime", "organizationId unreadField: .organizationId", "organizationId unreadField: .organizationId",
                "organizationId unreadField: .organizationId", "version unreadField: .version",
            ])
        XCTAssertTrue(try isValid(unread, .site))
        // Below an unread member, a problem weighs as that member; a missing unread member is a warning.
        let profile =
            #"{"name": "Desk", "active": true, "accessEntryPoint": "ALL", "accessWrapUpCode": "ALL", "viewableStatistics": {"accessQueueStats": "SOME"}}"#
        XCTAssertEqual(
            try weighed(profile, .agentProfile),
            [
                "viewableStatistics unreadField: .viewableStatistics.accessQueueStats",
                "viewableStatistics unreadField: .viewableStatistics.accessTeamStats", "accessBuddyTeam unreadField: .accessBuddyTeam",
                "accessIdleCode unreadField: .accessIdleCode", "accessQueue unreadField: .accessQueue",
                "agentDNValidation unreadField: .agentDNValidation", "parentType unreadField: .parentType",
            ])
        XCTAssertTrue(try isValid(profile, .agentProfile))
        // A read member: its problems, and its absence when required, are errors.
        XCTAssertEqual(
            try weighed(#"{"name": "Lisbon", "active": "yes"}"#, .site), ["active error: .active", "multimediaProfileId error: .multimediaProfileId"])
        XCTAssertFalse(try isValid(#"{"name": "Lisbon", "active": true}"#, .site))
        XCTAssertFalse(try isValid(#"{\#(site), "name": "Porto"}"#, .site), "a read member twice")
        XCTAssertEqual(try weighed("[]", .site), ["- error: "])
        // A null in a read member: absent where the schema does not require it, an error where it does.
        XCTAssertEqual(
            try weighed(#"{"id": "u1", "siteId": null, "email": null}"#, .user),
            ["siteId nullReadAsAbsent: .siteId", "email nullReadAsAbsent: .email"])
        XCTAssertTrue(try isValid(#"{"id": "u1", "siteId": null}"#, .user))
        XCTAssertEqual(try weighed(#"{"name": null, "active": true, "multimediaProfileId": "m"}"#, .site), ["name error: .name"])
        XCTAssertFalse(try isValid(#"{"name": null, "active": true, "multimediaProfileId": "m"}"#, .site))
        // Only the item's own members: a null below a read member is an error.
        let manual =
            #"{"name": "M", "telephony": 1, "chat": 0, "email": 0, "social": 0, "active": true, "blendingModeEnabled": true, "blendingMode": "BLENDED", "manuallyAssignable": {"telephony": 0, "chat": 0, "email": null, "social": 0}}"#
        XCTAssertEqual(try weighed(manual, .multimediaProfile), ["manuallyAssignable error: .manuallyAssignable.email"])
    }

    func testNestedSchemasAndBoundsAreChecked() throws {
        let profile = #"""
            {"name": "Desk", "active": true, "accessEntryPoint": "ALL", "accessWrapUpCode": "ALL", "accessIdleCode": "ALL", "accessQueue": "ALL",
             "accessBuddyTeam": "ALL", "agentDNValidation": "ALL", "parentType": "ORGANIZATION", "timeoutDesktopInactivityMins": 2,
             "viewableStatistics": {"accessQueueStats": "SOME", "accessTeamStats": "ALL"}}
            """#
        XCTAssertEqual(
            try problems(profile, .agentProfile),
            [
                ".timeoutDesktopInactivityMins: 2 is below 3, the minimum of Cisco's schema",
                #".viewableStatistics.accessQueueStats: "SOME" is not one of SPECIFIC, ALL, PROVISIONED_VALUE, NONE"#,
            ])
        let queue = #"""
            {"name": "Q", "active": true, "channelType": "EMAIL", "checkAgentAvailability": false, "maxActiveContacts": 2147483648,
             "maxTimeInQueue": 60, "queueRoutingType": "TEAM_BASED", "queueType": "INBOUND", "routingType": "LINEAR", "serviceLevelThreshold": 30,
             "callDistributionGroups": [{"agentGroups": [{"teamId": "t1"}, {"teamId": 7}], "order": 1}, {"agentGroups": [{"teamId": "t1"}], "order": 1}]}
            """#
        XCTAssertEqual(
            try problems(queue, .queue),
            [
                ".maxActiveContacts: 2147483648 is outside int32, the format Cisco's schema gives",
                ".callDistributionGroups[0].agentGroups[1].teamId: expected a string, found 7",
            ])
        // Objects compare member by member whatever their order: these two groups are one.
        let twice = #"[{"order": 1, "agentGroups": [{"teamId": "t1"}]}, {"agentGroups": [{"teamId": "t1"}], "order": 1.0}]"#
        let tape = try JSONTape(bytes: Array(twice.utf8))
        XCTAssertTrue(tape.sameValue(tape.firstChild(tape.root), tape.after(tape.firstChild(tape.root))))
    }

    /// Members are told apart by their bytes, as JSON names are: `é` and `e` with a combining
    /// accent are two names, not one written twice.
    func testNamesAreComparedAsBytes() throws {
        XCTAssertEqual(try problems(#"{\#(site), "é": 1, "e\u0301": 2}"#, .site), [])
        XCTAssertEqual(try problems(#"{\#(site), "n\u0061me": "Porto"}"#, .site), [".name: appears twice in this object"])
    }

    /// A path reads one way whatever the names: unusual ones in brackets, long ones cut short.
    func testUnusualNamesAreBracketedInPaths() throws {
        let long = String(repeating: "k", count: 300)
        XCTAssertEqual(
            try problems(#"{\#(site), "a.b[0]": 1, "it's": 2, "": 3, "\#(long)": 4, "\#(long)": 5, "x": 6, "x": 7}"#, .site),
            [
                ".\(String(repeating: "k", count: 99))…: appears twice in this object",
                ".x: appears twice in this object",
            ])
        XCTAssertEqual(WebexInputProblem.step("a.b[0]"), "['a.b[0]']")
        XCTAssertEqual(WebexInputProblem.step("it's \\"), #"['it\'s \\']"#)
        XCTAssertEqual(WebexInputProblem.step(""), "['']")
        XCTAssertEqual(WebexInputProblem.step("2nd"), "['2nd']")
        XCTAssertEqual(WebexInputProblem.step("teamIds"), ".teamIds")
        XCTAssertEqual(
            try problems(#"{"name": "Lisbon", "active": true, "multimediaProfileId": "m", "version": "1", "a.b": {"c d": 1}}"#, .site),
            [
                #".version: expected an integer, found "1""#
            ])
    }

    /// Numbers in repeated objects compare by value: exactly for whole numbers, so two int64
    /// times a double cannot tell apart are two items.
    func testRepeatsCompareWholeNumbersExactly() throws {
        func team(_ rankings: String) -> String { #"{"id": "t1", "queueRankings": [\#(rankings)]}"# }
        XCTAssertEqual(
            try problems(
                team(#"{"queueId": "q", "rank": 1, "createdTime": 9007199254740993}, {"queueId": "q", "rank": 1, "createdTime": 9007199254740992}"#),
                .team), [])
        XCTAssertEqual(
            try problems(team(#"{"queueId": "q", "rank": 1}, {"rank": 1, "queueId": "q"}"#), .team),
            [".queueRankings: items 0 and 1 are the same, and Cisco's schema wants each item once"])
    }

    func testALongListIsCheckedForRepeatsByHashing() throws {
        let ids = (0..<5000).map { "\"u\($0)\"" }
        XCTAssertEqual(try problems(#"{"id": "t1", "userIds": [\#(ids.joined(separator: ", "))]}"#, .team), [])
        XCTAssertEqual(
            try problems(#"{"id": "t1", "userIds": [\#((ids + ["\"u\\u0031\""]).joined(separator: ", "))]}"#, .team),
            [".userIds: items 1 and 5000 are the same, and Cisco's schema wants each item once"])
        // Objects too: 20,000 different rankings are compared by hash, not pair by pair (which
        // took hours for a crafted file), and the one repeated at the end is found.
        let rankings = (0..<20_000).map { #"{"queueId": "q", "rank": \#($0 % 50), "createdTime": \#($0)}"# }
        XCTAssertEqual(try problems(#"{"id": "t1", "queueRankings": [\#(rankings.joined(separator: ", "))]}"#, .team), [])
        XCTAssertEqual(
            try problems(
                #"{"id": "t1", "queueRankings": [\#((rankings + [#"{"createdTime": 7, "rank": 7, "queueId": "q"}"#]).joined(separator: ", "))]}"#,
                .team),
            [".queueRankings: items 7 and 20000 are the same, and Cisco's schema wants each item once"])
    }
}
