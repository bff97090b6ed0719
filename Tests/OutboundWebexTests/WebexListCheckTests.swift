import OutboundConfig
import OutboundWebex
import XCTest

/// `WebexListCheck`, the check `webex pull` runs on the pages of a list: the import's rules
/// (SPEC §9), located at each page's label and a JSON path, errors capped and warnings counted
/// per list.
final class WebexListCheckTests: XCTestCase {
    private func problems(_ resource: WebexResource, _ pages: String...) -> [String] {
        var check = WebexListCheck(resource)
        for (number, text) in pages.enumerated() { check.check(page: Array(text.utf8), label: "\(resource.rawValue) page \(number + 3)") }
        return check.problems.map(\.description)
    }

    func testAPageSaysItsErrorsAndCountsItsWarningsPerField() {
        let page = #"""
            {"meta": {"page": 2, "totalPages": 4}, "data": [
             {"id": "u1", "createdTime": null, "email": "a@x.example"},
             {"id": "u2", "createdTime": null, "teamIds": "t1"},
             {"id": "u3", "createdTime": "yesterday", "siteId": null, "ciUserId": 7}]}
            """#
        XCTAssertEqual(
            problems(.user, page),
            [
                #"user page 3: $.data[1].teamIds: error: expected an array, found "t1""#,
                "user page 3: $.data[2].ciUserId: warning: expected a string, found 7; 1 item breaks Cisco's schema in ciUserId, this the first — not read by the import, kept as a warning",
                "user page 3: $.data[0].createdTime: warning: expected an integer, found null; 2 items break Cisco's schema in createdTime, this the first — not read by the import, kept as a warning",
                "user page 3: $.data[2].siteId: warning: expected a string, found null; 1 item breaks Cisco's schema in siteId, this the first — read as absent, kept as a warning",
            ])
    }

    func testAPageThatIsNoListIsAnErrorAtItsLabel() {
        XCTAssertEqual(
            problems(.team, #"{"data": [}"#), ["team page 3: $: error: not valid JSON at line 1, column 11: not what JSON has here"])
        XCTAssertEqual(problems(.team, #"{"meta": {}}"#), ["team page 3: $.data: error: required by Cisco's schema, missing"])
    }

    /// A plain array too; user profiles of either shape are each checked against their own schema.
    func testUserProfilesOfEitherShapeAreCheckedAgainstTheirSchema() {
        let v3 =
            #"{"id": "p1", "name": "Agents", "profileType": "PREMIUM_AGENT", "active": true, "permissionAccessLevel": "ALL", "resourceAccessLevel": "ALL"}"#
        let older =
            #"{"id": "p2", "name": "Old", "profileType": "STANDARD_AGENT", "active": true, "accessAllModules": "ALL", "accessAllEntryPoints": "ALL", "accessAllSites": "ALL", "accessAllQueues": "ALL", "accessAllTeams": "ALL"}"#
        XCTAssertEqual(problems(.userProfile, "[\(v3), \(older)]"), [])
        // Without permissionAccessLevel, an item is of the older shape, which wants accessAll*.
        let neither = #"{"id": "p3", "name": "New", "profileType": "SUPERVISOR", "active": true, "resourceAccessLevel": "ALL"}"#
        XCTAssertEqual(
            problems(.userProfile, "[\(v3), \(neither)]"),
            [
                "user-profile page 3: $[1].accessAllEntryPoints: warning: required by Cisco's schema, missing; 1 item breaks Cisco's schema in accessAllEntryPoints, this the first — not read by the import, kept as a warning",
                "user-profile page 3: $[1].accessAllModules: warning: required by Cisco's schema, missing; 1 item breaks Cisco's schema in accessAllModules, this the first — not read by the import, kept as a warning",
                "user-profile page 3: $[1].accessAllQueues: warning: required by Cisco's schema, missing; 1 item breaks Cisco's schema in accessAllQueues, this the first — not read by the import, kept as a warning",
                "user-profile page 3: $[1].accessAllSites: warning: required by Cisco's schema, missing; 1 item breaks Cisco's schema in accessAllSites, this the first — not read by the import, kept as a warning",
                "user-profile page 3: $[1].accessAllTeams: warning: required by Cisco's schema, missing; 1 item breaks Cisco's schema in accessAllTeams, this the first — not read by the import, kept as a warning",
            ])
        XCTAssertEqual(
            problems(.userProfile, #"[{"id": "p4", "profileType": "AGENT", "permissionAccessLevel": "ALL"}]"#).filter { $0.contains(": error: ") },
            [
                #"user-profile page 3: $[0].profileType: error: "AGENT" is not one of ADMINISTRATOR, ADMINISTRATOR_ONLY, SUPERVISOR, PREMIUM_AGENT, STANDARD_AGENT, ANALYZER_ADMINISTRATOR, ANALYZER_SUPERVISOR, ANALYZER_USER"#
            ]
        )
    }

    /// A list's errors are capped as a file's are, over all its pages, the rest counted in one line.
    func testManyBadItemsAreCountedPastTheFirstHundredProblems() {
        let bad = "[" + Array(repeating: "{}", count: 500).joined(separator: ",") + "]"
        let found = problems(.site, bad, bad)
        XCTAssertEqual(found.count, 101)
        XCTAssertEqual(found.first, "site page 3: $[0].active: error: required by Cisco's schema, missing")
        XCTAssertEqual(
            found.last,
            "v2/site: $: error: and 104 more problems and problems in 932 more items in this list (the first 100 problems are shown)")
    }

    /// A field broken on every page is one warning for the list, counting every item.
    func testWarningsAreCountedOverTheWholeList() {
        let page = #"{"data": [{"id": "u1", "createdTime": null}, {"id": "u2", "createdTime": null}]}"#
        XCTAssertEqual(
            problems(.user, page, page, page),
            [
                "user page 3: $.data[0].createdTime: warning: expected an integer, found null; 6 items break Cisco's schema in createdTime, this the first — not read by the import, kept as a warning"
            ])
    }
}
