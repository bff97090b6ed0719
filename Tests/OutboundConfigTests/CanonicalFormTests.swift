@testable import OutboundConfig
import XCTest

final class CanonicalFormTests: XCTestCase {
    /// The digest is plain SHA-256 of the document's UTF-8, so anyone can check a stored
    /// snapshot against its digest with `sha256sum`.
    func testDigestIsSHA256OfTheDocument() {
        XCTAssertEqual(CanonicalForm.digest(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(CanonicalForm.digest(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(CanonicalForm.digest(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(CanonicalForm.digest(of: String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testSpellingsOfTheSameMeaningAreCanonicallyEqual() {
        let terse = """
            tenant: {name: T, digitalChannels: enabled}
            multimediaProfiles:
              p: {blending: blended, social: 2, email: {assignment: manual}}
            agents:
              a: {name: A, licence: l, site: s, teams: [y, x], desktopProfile: d}
            """
        let verbose = """
            tenant:
              name: T
              digitalChannels: enabled
            multimediaProfiles:
              p:
                blending: blended
                voice: 0
                social: {assignment: auto-pushed, slots: 2}
                email: {assignment: manual, slots: 1}
            agents:
              a: {name: A, licence: l, site: s, teams: [x, y], desktopProfile: d, active: true}
            """
        let first = ConfigurationDecoder.decode([YAMLLoader().load(terse, path: "a").0]).0
        let second = ConfigurationDecoder.decode([YAMLLoader().load(verbose, path: "b").0]).0
        XCTAssertEqual(CanonicalForm.renderedEntities(first), CanonicalForm.renderedEntities(second))
        XCTAssertEqual(CanonicalForm.renderedEntities(first)[CanonicalForm.Key(kind: "multimediaProfiles", id: "p")],
                       #"{"blending":"blended","email":{"assignment":"manual","slots":1},"social":2}"#)
    }

    func testTheDocumentLoadsBackToTheSameForm() {
        let result = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles)
        let entities = CanonicalForm.renderedEntities(result.configuration)
        let document = CanonicalForm.document(from: entities)
        let reloaded = ConfigurationLoader(now: Date()).load(documents: [(path: "doc", text: document)])
        XCTAssertTrue(reloaded.isValid, "\(reloaded.diagnostics)")
        XCTAssertEqual(CanonicalForm.renderedEntities(reloaded.configuration), entities)
    }

    func testSortedEntitiesAreInKeyOrderAndMakeTheSameDocument() {
        let configuration = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles).configuration
        let sorted = CanonicalForm.sortedEntities(configuration)
        XCTAssertGreaterThan(Set(sorted.map(\.key.kind)).count, 5, "several sections")
        XCTAssertEqual(sorted.first?.key, .tenant)
        XCTAssertEqual(sorted.map(\.key), sorted.map(\.key).sorted())
        XCTAssertEqual(Set(sorted.map(\.key)).count, sorted.count, "each key once")
        let document = CanonicalForm.document(from: CanonicalForm.renderedEntities(configuration))
        XCTAssertEqual(String(decoding: CanonicalForm.documentBytes(from: sorted), as: UTF8.self), document)
        XCTAssertEqual(CanonicalForm.digest(of: CanonicalForm.documentBytes(from: sorted)), CanonicalForm.digest(of: document))
    }

    func testJSONParserReadsWhatTheWriterWrites() throws {
        let value = JSON.object([
            ("a", .string("quote \" backslash \\ newline \n tab \t control \u{1} unicode é 🚀")),
            ("b", .array([.int(-3), .bool(true), .null, .object([])])),
        ])
        XCTAssertEqual(try JSON.parse(value.rendered()), value)
        XCTAssertEqual(try JSON.parse(value.rendered(pretty: true)), value)
        XCTAssertEqual(try JSON.parse(#""\ud83d\ude80""#), .string("🚀"))
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "01", "1.", ".5", "1e", "-", "1e+", "1e999", "+1"] {
            XCTAssertThrowsError(try JSON.parse(bad), bad)
        }
    }

    /// Every number RFC 8259 allows reads (an HTTP body may carry any in a field nobody
    /// reads): whole numbers that fit as `.int`, the rest as `.number`.
    func testJSONParserReadsEveryNumber() throws {
        XCTAssertEqual(try JSON.parse("[0, -0, 42, -7, 9223372036854775807]"), .array([.int(0), .int(0), .int(42), .int(-7), .int(Int.max)]))
        XCTAssertEqual(try JSON.parse("1.8195345863424886e+206"), .number(1.8195345863424886e+206))
        XCTAssertEqual(try JSON.parse("[2.5, -0.125, 1E3, 4e-2, 99999999999999999999]"),
                       .array([.number(2.5), .number(-0.125), .number(1000), .number(0.04), .number(1e20)]))
    }

    func testFieldChangesDescendIntoObjects() {
        let changes = Plan.changes(
            from: [CanonicalForm.Key(kind: "multimediaProfiles", id: "p"): #"{"blending":"blended","email":{"assignment":"manual","slots":3}}"#],
            to: [CanonicalForm.Key(kind: "multimediaProfiles", id: "p"): #"{"blending":"blended","email":{"assignment":"manual","slots":4}}"#,
                 CanonicalForm.Key(kind: "sites", id: "s"): #"{"name":"S"}"#])
        XCTAssertEqual(changes.map(\.action), [.update, .create])
        XCTAssertEqual(changes[0].fields, [Plan.FieldChange(path: "email.slots", old: .int(3), new: .int(4))])
        XCTAssertEqual(changes[1].fields, [Plan.FieldChange(path: "name", old: nil, new: .string("S"))])
    }
}

final class EntitySourcesTests: XCTestCase {
    /// The bytes written for the store and the parsed value's own text agree for every kind
    /// (the writer relies on its field lists being in sorted order).
    func testStoredTextIsTheCanonicalTextForEveryKind() throws {
        let result = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles)
        let entities = CanonicalForm.sortedEntities(result.configuration)
        XCTAssertFalse(entities.isEmpty)
        var kinds = Set<String>()
        for entity in entities {
            let text = try XCTUnwrap(EntitySources.text(of: entity.key, in: result.configuration, names: EntitySources.fileNames(relativeTo: [])))
            let parsed = try XCTUnwrap(EntitySources(text: text), text)
            XCTAssertEqual(parsed.text, text, "\(entity.key)")
            XCTAssertNotNil(parsed.location(of: ""), "\(entity.key) keeps its own place")
            kinds.insert(entity.key.kind)
        }
        XCTAssertGreaterThanOrEqual(kinds.count, 8)
    }
}
