import XCTest

@testable import OutboundConfig

final class CanonicalFormTests: XCTestCase {
    /// The digest is plain SHA-256 of the document's UTF-8, so anyone can check a stored
    /// snapshot against its digest with `sha256sum`.
    func testDigestIsSHA256OfTheDocument() {
        XCTAssertEqual(CanonicalForm.digest(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(CanonicalForm.digest(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            CanonicalForm.digest(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            CanonicalForm.digest(of: String(repeating: "a", count: 1_000)),
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
        XCTAssertEqual(
            CanonicalForm.renderedEntities(first)[CanonicalForm.Key(kind: "multimediaProfiles", id: "p")],
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

    /// Above 2,000 agents rows are rendered on all cores, each chunk into its place: ids that
    /// share their first 16 bytes and ids that are prefixes of others still come out in byte
    /// order, with each row's hashes those of its own texts, and the document is the same
    /// whether written in pieces from rows or at once from entities.
    func testManyAgentsRenderInByteOrderWithTheirOwnHashes() {
        var agents = "agents:\n"
        for number in (0..<3_000).shuffled() {
            // Some share 16 bytes and more, some are another's prefix ("agent-1", "agent-1x").
            let id = number % 3 == 0 ? "a-very-long-shared-prefix-\(number)" : (number % 3 == 1 ? "agent-\(number)" : "agent-\(number - 1)x")
            agents += "  \(id): {name: \"Agent \\\"\(number)\\\"\", licence: premium, site: hq, teams: [support], desktopProfile: frontline}\n"
        }
        let documents =
            RuleExample.baseFiles + [
                (path: "agents.yaml", text: agents),
                (path: "more-agents.yaml", text: agents.replacingOccurrences(of: "\n  ", with: "\n  more-")),
            ]
        let result = ConfigurationLoader(now: Date()).load(documents: documents)
        XCTAssertEqual(result.configuration.agents.count, 6_001, "\(result.diagnostics.prefix(3))")
        let rows = CanonicalForm.sortedRows(result.configuration, sourceNames: EntitySources.fileNames(relativeTo: []))
        let agentIds = rows.filter { $0.entity.key.kind == "agents" }.map(\.entity.key.id)
        XCTAssertEqual(agentIds, result.configuration.agents.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for row in rows {
            XCTAssertEqual(row.hash, Int64(bitPattern: FNV1a.hash(row.entity.text)), row.entity.key.id)
            XCTAssertEqual(row.sourcesHash, Int64(bitPattern: FNV1a.hash(row.sources)), row.entity.key.id)
            guard row.entity.key.kind == "agents", row.entity.key.id != "ana" else { continue }  // ana is base.yaml's
            XCTAssertTrue(row.entity.text.hasPrefix(#"{"name":"Agent \""#), row.entity.text)
            XCTAssertEqual(result.configuration.agents[row.entity.key.id].map(CanonicalForm.render), row.entity.text)
            XCTAssertEqual(
                row.sources.split(separator: "\n").first.map(String.init), row.entity.key.id.hasPrefix("more-") ? "more-agents.yaml" : "agents.yaml")
        }
        let entities = CanonicalForm.sortedEntities(result.configuration)
        XCTAssertEqual(entities, rows.map(\.entity))
        let pieces = CanonicalForm.documentPieces(from: rows)
        XCTAssertGreaterThan(pieces.count, 1)
        XCTAssertEqual(Array(pieces.map(\.bytes).joined()), CanonicalForm.documentBytes(from: entities))
    }

    /// Byte order as `memcmp` gives it, against the definition, on ids that tie on their
    /// first 16 bytes, are prefixes of each other, or are not ASCII.
    func testByteOrderIsTheOrderOfTheUTF8Bytes() {
        let words = [
            "", "a", "b", "ab", "a-very-long-shared-prefix", "a-very-long-shared-prefix-1", "a-very-long-shared-prefix-10",
            "a-very-long-shared-prefiy", "é", "e\u{301}", "z", "~", "ä-team", "agent-9", "agent-10", "x\u{0}", "x",
        ]
        for lhs in words {
            for rhs in words {
                XCTAssertEqual(ByteOrder.precedes(lhs, rhs), Array(lhs.utf8).lexicographicallyPrecedes(Array(rhs.utf8)), "\(lhs) < \(rhs)")
            }
        }
        // Swift's `String` equality is canonical equivalence: "é" and "e\u{301}" are one key.
        let entries = Dictionary(
            uniqueKeysWithValues: (words.filter { $0 != "e\u{301}" } + (0..<500).map { "id-\($0 * 7919 % 1000)-of-a-long-tenant" }).enumerated().map {
                ($1, $0)
            })
        let sorted = ByteOrder.sortedByKey(entries)
        XCTAssertEqual(sorted.map(\.key), entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        XCTAssertTrue(sorted.allSatisfy { entries[$0.key] == $0.value }, "each value stays with its key")
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
        XCTAssertEqual(
            try JSON.parse("[2.5, -0.125, 1E3, 4e-2, 99999999999999999999]"),
            .array([.number(2.5), .number(-0.125), .number(1000), .number(0.04), .number(1e20)]))
    }

    func testFieldChangesDescendIntoObjects() {
        let changes = Plan.changes(
            from: [CanonicalForm.Key(kind: "multimediaProfiles", id: "p"): #"{"blending":"blended","email":{"assignment":"manual","slots":3}}"#],
            to: [
                CanonicalForm.Key(kind: "multimediaProfiles", id: "p"): #"{"blending":"blended","email":{"assignment":"manual","slots":4}}"#,
                CanonicalForm.Key(kind: "sites", id: "s"): #"{"name":"S"}"#,
            ])
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
