import OutboundConfig
import XCTest

final class DecodingTests: XCTestCase {
    private func loadWithBase(_ snippet: String) -> LoadResult {
        ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles + [("example.yaml", snippet)])
    }

    func testBothSlotFormsDecode() throws {
        let result = loadWithBase(
            """
            multimediaProfiles:
              integer: {blending: blended, social: 2, email: 0}
              mapping: {blending: blended, email: {assignment: manual}, social: {slots: 3}}
            sites:
              a: {multimediaProfile: integer}
              b: {multimediaProfile: mapping}
            """)
        XCTAssertTrue(result.isValid, "\(result.diagnostics)")
        let integer = try XCTUnwrap(result.configuration.multimediaProfiles["integer"])
        XCTAssertEqual(integer.social?.assignment, .autoPushed)
        XCTAssertEqual(integer.social?.slots, 2)
        XCTAssertEqual(integer.email?.slots, 0)
        let mapping = try XCTUnwrap(result.configuration.multimediaProfiles["mapping"])
        XCTAssertEqual(mapping.email?.assignment, .manual)
        XCTAssertEqual(mapping.email?.slots, 1, "slots default to 1")
        XCTAssertEqual(mapping.email?.assignmentLocation.line, 3)
        XCTAssertEqual(mapping.social?.assignment, .autoPushed)
        XCTAssertEqual(mapping.social?.slots, 3)
    }

    func testIdDefinedTwiceAcrossFilesNamesBothPlaces() {
        let result = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles + [("more.yaml", "\n\nteams:\n  support: {site: hq}\n")])
        let duplicate = result.diagnostics.filter { $0.code == .duplicateId }
        XCTAssertEqual(duplicate.count, 1)
        XCTAssertEqual(duplicate.first?.location, SourceLocation(file: "more.yaml", line: 4, column: 3))
        XCTAssertEqual(duplicate.first?.notes.first?.location, SourceLocation(file: "base.yaml", line: 8, column: 3))
        XCTAssertTrue(duplicate.first?.message.contains("base.yaml:8:3") == true)
    }

    func testOneRunReportsEveryProblem() {
        let marked = MarkedText(
            """
            agents:
              bob:
                name: Bob
                licence: 1️⃣premum
                site: 2️⃣hqq
                teams: [support, 3️⃣suport]
                desktopProfile: frontline
                4️⃣actve: true
            """)
        let result = loadWithBase(marked.text)
        assertDiagnostic(.unknownReference, in: result.diagnostics, at: "1️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.unknownReference, in: result.diagnostics, at: "2️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.unknownReference, in: result.diagnostics, at: "3️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.unknownKey, in: result.diagnostics, at: "4️⃣", of: marked, file: "example.yaml")
        XCTAssertEqual(result.diagnostics.count, 4)
        let messages = result.diagnostics.map(\.message)
        XCTAssertTrue(messages.contains("unknown licence 'premum'; did you mean 'premium'?"), "\(messages)")
        XCTAssertTrue(messages.contains("unknown key 'actve' in agents.bob; did you mean 'active'?"), "\(messages)")
        XCTAssertEqual(
            Set(result.diagnostics.map(\.path)),
            ["agents.bob.licence", "agents.bob.site", "agents.bob.teams[1]", "agents.bob.actve"])
    }

    func testAnIdListedTwiceIsReportedAtEachRepeatInShortAndLongLists() throws {
        let teams = (1...20).map { "t\($0)" }
        let longList = teams.map { $0 == "t7" ? "4️⃣t7" : $0 }.joined(separator: ", ")
        let marked = MarkedText(
            """
            teams:
            \(teams.map { "  \($0): {site: hq}" }.joined(separator: "\n"))
            queues:
              short-q: {channel: chat, teams: [support, t1, 1️⃣support]}
              long-q: {channel: chat, teams: [\(longList), 2️⃣t7, 3️⃣t7]}
            """)
        let result = loadWithBase(marked.text)
        assertDiagnostic(.duplicateListEntry, in: result.diagnostics, at: "1️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.duplicateListEntry, in: result.diagnostics, at: "2️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.duplicateListEntry, in: result.diagnostics, at: "3️⃣", of: marked, file: "example.yaml")
        XCTAssertEqual(result.diagnostics.count, 3, "\(result.diagnostics)")
        let repeated = try XCTUnwrap(result.diagnostics.first { $0.path == "queues.long-q.teams[20]" })
        XCTAssertEqual(repeated.message, "queues.long-q.teams lists 't7' twice")
        let first = try XCTUnwrap(marked.positions["4️⃣"])
        XCTAssertEqual(repeated.notes.first?.location, SourceLocation(file: "example.yaml", line: first.line, column: first.column))
        XCTAssertEqual(result.configuration.queues["long-q"]?.teams.map(\.value), teams, "the model keeps each id once")
    }

    func testAFileThatDoesNotParseHoldsBackOnlyTheChecksAcrossFiles() {
        let others =
            RuleExample.baseFiles.filter { $0.path != "tenant.yaml" } + [
                (
                    "more.yaml",
                    """
                    agents:
                      bob: {name: Bob, licence: premium, site: hq, teams: [night-shift], desktopProfile: frontline, nmae: x}
                    entryPoints:
                      sms-2: {channel: sms, address: "12"}
                    """
                )
            ]
        let broken = ConfigurationLoader(now: Date()).load(documents: [("tenant.yaml", "tenant: {name: [Example\n")] + others)
        XCTAssertFalse(broken.everyFileParsed)
        XCTAssertEqual(
            broken.diagnostics.map(\.code), [.unknownKey, .addressMismatch, .yamlSyntax],
            "the syntax error, and the problems other files have on their own; no unknown team, no missing tenant")

        let fixed = ConfigurationLoader(now: Date()).load(
            documents: [("tenant.yaml", "tenant: {name: Example, digitalChannels: enabled}\n")] + others)
        XCTAssertTrue(fixed.everyFileParsed)
        XCTAssertEqual(Set(fixed.diagnostics.map(\.code)), [.unknownKey, .unknownReference, .addressMismatch])
        let withoutTenant = ConfigurationLoader(now: Date()).load(documents: others)
        XCTAssertTrue(withoutTenant.diagnostics.contains { $0.code == .tenantMissing })
    }

    func testAgentOrdersHoldEveryAgentOnce() {
        let agents = (0..<300).map {
            "  agent-\($0 * 7919 % 1000): {name: A, licence: premium, site: hq, teams: [support], desktopProfile: frontline}"
        }
        let configuration = loadWithBase("agents:\n" + agents.joined(separator: "\n") + "\n").configuration
        XCTAssertEqual(configuration.agents.count, 301)
        XCTAssertEqual(configuration.agentsById().map(\.id), configuration.agents.keys.sorted())
        let inMemory = configuration.agentsInMemoryOrder()
        XCTAssertEqual(inMemory.count, 301)
        XCTAssertEqual(Set(inMemory.map(\.id)), Set(configuration.agents.keys))
    }

    func testMissingFieldsPointAtTheEntryId() {
        let marked = MarkedText("queues:\n  1️⃣chat-q:\n    channel: chat\n")
        let result = loadWithBase(marked.text)
        assertDiagnostic(.missingField, in: result.diagnostics, of: marked, file: "example.yaml")
        XCTAssertEqual(result.diagnostics.first?.path, "queues.chat-q.teams")
    }

    func testQuotedNumbersAndYAML11BooleansAreWrongTypes() {
        let marked = MarkedText(
            "agents:\n  bob: {name: Bob, licence: premium, site: hq, teams: [support], desktopProfile: frontline, active: 1️⃣yes}\nlicences:\n  x: {type: standard-agent, seats: 2️⃣\"3\"}\n  y: {type: standard-agent, seats: 3️⃣3.0}\n"
        )
        let result = loadWithBase(marked.text)
        assertDiagnostic(.wrongType, in: result.diagnostics, at: "1️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.wrongType, in: result.diagnostics, at: "2️⃣", of: marked, file: "example.yaml")
        assertDiagnostic(.wrongType, in: result.diagnostics, at: "3️⃣", of: marked, file: "example.yaml")
        XCTAssertEqual(
            result.diagnostics.map(\.message).sorted(),
            [
                "agents.bob.active must be true or false; 'yes' is ambiguous across YAML versions, write true",
                "licences.x.seats must be an integer, found a string",
                "licences.y.seats must be an integer, found a decimal number",
            ])
    }

    func testEnumTyposGetAHint() {
        let result = loadWithBase("entryPoints:\n  e: {channel: e-mail, address: a@b.example}\n")
        XCTAssertTrue(
            result.diagnostics.contains { $0.code == .invalidValue && $0.message.contains("did you mean 'email'?") }, "\(result.diagnostics)")
    }

    func testAddressFormats() {
        XCTAssertTrue(AddressFormat.isE164("+14155550100"))
        XCTAssertFalse(AddressFormat.isE164("+1234567"))
        XCTAssertFalse(AddressFormat.isE164("+1234567890123456"))
        XCTAssertFalse(AddressFormat.isE164("14155550100"))
        XCTAssertTrue(AddressFormat.isEmail("support@acme.example"))
        for bad in ["support", "@acme.example", "a@b", "a@.b", "a@b.", "a b@c.d", "a@b@c.d", "a@b..c"] {
            XCTAssertFalse(AddressFormat.isEmail(bad), bad)
        }
    }

    func testIdentifierGrammar() {
        XCTAssertTrue(Identifier.isValid("ana.silva"))
        XCTAssertTrue(Identifier.isValid("0-a_b.c"))
        XCTAssertTrue(Identifier.isValid(String(repeating: "a", count: 64)))
        XCTAssertFalse(Identifier.isValid(String(repeating: "a", count: 65)))
        for bad in ["", "Ana", "-a", ".a", "a b", "ação"] { XCTAssertFalse(Identifier.isValid(bad), bad) }
    }
}
