import Foundation
import OutboundConfig
import OutboundWebex
import XCTest

/// Ids made from Webex names (SPEC §9): readable, valid, unique and the same on every import.
final class WebexIdsTests: XCTestCase {
    private let idPattern = try! NSRegularExpression(pattern: "^[a-z0-9][a-z0-9._-]{0,63}$")

    private func isValid(_ id: String) -> Bool {
        idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil
    }

    func testNamesFoldToASCIIIds() {
        XCTAssertEqual(WebexIds.slug("Suporte Nível 1", fallback: "team"), "suporte-nivel-1")
        XCTAssertEqual(WebexIds.slug("Atención Clientes", fallback: "team"), "atencion-clientes")
        XCTAssertEqual(WebexIds.slug("Bjørn Łukasiewicz-Straße", fallback: "user"), "bjorn-lukasiewicz-strasse")
        XCTAssertEqual(WebexIds.slug("Chat & Social", fallback: "team"), "chat-social")
        XCTAssertEqual(WebexIds.slug("  Email Specialists (Porto) ", fallback: "p"), "email-specialists-porto")
        XCTAssertEqual(WebexIds.slug("Maria.Gomez", fallback: "user"), "maria.gomez")
        XCTAssertEqual(WebexIds.slug("ana.dias+cc", fallback: "user"), "ana.dias-cc")
        XCTAssertEqual(WebexIds.slug("çağla.müller", fallback: "user"), "cagla.muller")
        XCTAssertEqual(WebexIds.slug("_.-Ops-._", fallback: "team"), "ops")
    }

    func testANameWithNothingLeftTakesTheFallback() {
        XCTAssertEqual(WebexIds.slug("客服", fallback: "team"), "team")
        XCTAssertEqual(WebexIds.slug("&&&", fallback: "queue"), "queue")
    }

    func testLongNamesAreCutToTheIdLength() {
        let id = WebexIds.slug(String(repeating: "Abc ", count: 20), fallback: "x")
        XCTAssertEqual(id, String(String(repeating: "abc-", count: 16).dropLast()))  // cut at 64, then the trailing "-" trimmed
        XCTAssertTrue(isValid(id))
        let ids = WebexIds.assign([("a", String(repeating: "b", count: 80)), ("c", String(repeating: "b", count: 90))], fallback: "x")
        XCTAssertEqual(ids["a"], String(repeating: "b", count: 64))
        XCTAssertEqual(ids["c"], String(repeating: "b", count: 62) + "-2")
    }

    func testCollisionsGetSuffixesInAnOrderThatIgnoresTheFiles() {
        let teams = [
            (webexId: "t9", name: "Atención Clientes"), (webexId: "t1", name: "Atencion Clientes"), (webexId: "t5", name: "ATENCION clientes"),
        ]
        let expected = ["t5": "atencion-clientes", "t1": "atencion-clientes-2", "t9": "atencion-clientes-3"]
        XCTAssertEqual(WebexIds.assign(teams, fallback: "team"), expected)
        XCTAssertEqual(WebexIds.assign(teams.reversed(), fallback: "team"), expected)
        // The same name twice: the Webex id decides.
        XCTAssertEqual(WebexIds.assign([("b", "Sales"), ("a", "Sales")], fallback: "team"), ["a": "sales", "b": "sales-2"])
    }

    func testASuffixNeverTakesAnIdAnotherNameGives() {
        let ids = WebexIds.assign([("1", "Sales"), ("2", "Sales!"), ("3", "Sales 2")], fallback: "team")
        XCTAssertEqual(ids, ["1": "sales", "2": "sales-3", "3": "sales-2"])
    }

    func testTheFixtureTenantGetsValidUniqueIds() throws {
        let (export, problems) = WebexExport.read(directory: repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant"))
        XCTAssertEqual(problems, [])
        let users = WebexIds.assign(export.users.map { ($0.id, $0.idSource) }, fallback: "user")
        XCTAssertEqual(Set(users.values).count, export.users.count)
        XCTAssertTrue(users.values.allSatisfy(isValid), users.values.filter { !isValid($0) }.description)
        let ana = export.users.filter { $0.email?.lowercased().hasPrefix("ana.silva@") == true }.map { users[$0.id]! }
        XCTAssertEqual(ana.sorted(), ["ana.silva", "ana.silva-2"])
        let teams = WebexIds.assign(export.teams.map { ($0.id, $0.name ?? "") }, fallback: "team")
        XCTAssertEqual(
            Set(teams.values),
            [
                "suporte-nivel-1", "suporte-nivel-2", "email-desk", "chat-social", "atencion-clientes",
                "atencion-clientes-2", "legacy-night-shift",
            ])
    }

    func testAUsersIdComesFromTheLocalPartOfItsEmail() throws {
        let decoder = JSONDecoder()
        func user(_ json: String) throws -> WebexUser { try decoder.decode(WebexUser.self, from: Data(json.utf8)) }
        XCTAssertEqual(try user(#"{"id": "1", "email": "Maria.Gomez@harbor.example", "firstName": "María"}"#).idSource, "Maria.Gomez")
        XCTAssertEqual(try user(#"{"id": "1", "firstName": "João", "lastName": "Silva"}"#).idSource, "João Silva")
        XCTAssertEqual(try user(#"{"id": "1", "email": "@harbor.example", "firstName": "Rui"}"#).idSource, "Rui")
    }
}
