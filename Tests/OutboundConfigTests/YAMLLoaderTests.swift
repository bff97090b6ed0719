import OutboundConfig
import XCTest

final class YAMLLoaderTests: XCTestCase {
    private func parse(_ text: String, limits: LoaderLimits = .default) -> (YAMLFile, [Diagnostic]) {
        YAMLLoader(limits: limits).load(text, path: "test.yaml")
    }

    func testNodesCarryOneBasedLinesAndColumns() throws {
        let (file, diagnostics) = parse("sites:\n  lisbon:\n    name: Lisbon\n")
        XCTAssertEqual(diagnostics, [])
        guard case .mapping(let top) = try XCTUnwrap(file.root).kind,
            case .mapping(let sites) = top[0].value.kind,
            case .mapping(let fields) = sites[0].value.kind
        else { return XCTFail("expected nested mappings") }
        XCTAssertEqual([top[0].key.line, top[0].key.column], [1, 1])
        XCTAssertEqual([sites[0].key.line, sites[0].key.column], [2, 3])
        XCTAssertEqual(fields[0].value.scalar, "Lisbon")
        XCTAssertEqual([fields[0].value.line, fields[0].value.column], [3, 11])
    }

    func testDuplicateKeyIsReportedAtTheSecondKeyNamingTheFirst() {
        let marked = MarkedText("agents:\n  ana: {name: A}\n  bob: {name: B}\n  1️⃣ana: {name: C}\n")
        let (file, diagnostics) = parse(marked.text)
        XCTAssertEqual(diagnostics.count, 1)
        assertDiagnostic(.duplicateKey, in: diagnostics, of: marked, file: "test.yaml")
        XCTAssertTrue(diagnostics[0].message.contains("line 2"), diagnostics[0].message)
        XCTAssertEqual(diagnostics[0].notes.first?.location?.line, 2)
        XCTAssertEqual(diagnostics[0].path, "agents.ana")
        guard case .mapping(let top) = file.root?.kind, case .mapping(let agents) = top[0].value.kind else {
            return XCTFail("tree expected")
        }
        XCTAssertEqual(agents.map(\.key.scalar), ["ana", "bob"], "the first definition is kept")
    }

    func testDuplicateKeysInALargeMappingAreEachReportedAgainstTheFirst() {
        var lines = (1...30).map { "  key\($0): \($0)" }
        lines.append("  key5: again")
        lines.append("  \"key5\": thrice")
        let (file, diagnostics) = parse("big:\n" + lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(diagnostics.map(\.code), [.duplicateKey, .duplicateKey])
        XCTAssertEqual(diagnostics.map(\.location.line), [32, 33])
        XCTAssertEqual(diagnostics.map { $0.notes.first?.location?.line }, [6, 6], "both name the first definition")
        guard case .mapping(let top) = file.root?.kind, case .mapping(let big) = top[0].value.kind else {
            return XCTFail("tree expected")
        }
        XCTAssertEqual(big.count, 30)
        XCTAssertEqual(big.first { $0.key.scalar == "key5" }?.value.scalar, "5")
    }

    func testMergeOfAListTakesEarlierMappingsFirst() throws {
        let text = """
            a: &a {x: from-a, y: from-a}
            b: &b {x: from-b, z: from-b}
            m:
              y: own
              <<: [*a, *b]
            """
        let (file, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        guard case .mapping(let top) = try XCTUnwrap(file.root).kind, case .mapping(let merged) = top[2].value.kind else {
            return XCTFail("mappings expected")
        }
        let values = Dictionary(uniqueKeysWithValues: merged.map { ($0.key.scalar!, $0.value.scalar!) })
        XCTAssertEqual(values, ["x": "from-a", "y": "own", "z": "from-b"])
        XCTAssertEqual(parse("m:\n  <<: [1, 2]\n").1.map(\.code), [.wrongType], "only mappings merge")
    }

    func testAnchorsAliasesAndMergeKeysResolve() throws {
        let text = """
            base: &base {blending: blended, voice: 1}
            copy: *base
            merged:
              <<: *base
              voice: 0
              chat: 2
            """
        let (file, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        guard case .mapping(let top) = try XCTUnwrap(file.root).kind,
            case .mapping(let copy) = top[1].value.kind,
            case .mapping(let merged) = top[2].value.kind
        else { return XCTFail("mappings expected") }
        XCTAssertEqual(copy.map(\.key.scalar), ["blending", "voice"])
        let values = Dictionary(uniqueKeysWithValues: merged.map { ($0.key.scalar!, $0.value.scalar!) })
        XCTAssertEqual(values, ["voice": "0", "chat": "2", "blending": "blended"], "explicit keys win over merged ones")
    }

    func testBillionLaughsFailsFastWithinTheAliasBudget() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...12 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        let (file, diagnostics) = parse(text)
        XCTAssertNil(file.root, "nothing of an over-budget file is kept")
        XCTAssertEqual(diagnostics.map(\.code), [.aliasBudget])
        XCTAssertGreaterThan(diagnostics[0].location.line, 1)
        XCTAssertLessThan(diagnostics[0].location.line, 13, "stops at the alias that crosses the budget, before the last level")
    }

    func testNestingDeeperThanTheLimitIsAnErrorNotACrash() {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let (file, diagnostics) = parse(text)
        XCTAssertNil(file.root)
        XCTAssertEqual(diagnostics.map(\.code), [.nestingTooDeep])
        XCTAssertEqual(diagnostics[0].location.line, 1)
        XCTAssertEqual(diagnostics[0].location.column, LoaderLimits.default.maxDepth + 1)
    }

    func testInvalidUTF8IsLocated() {
        var bytes = Array("tenant:\n  name: Ac".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("me\n".utf8)
        let (file, diagnostics) = YAMLLoader().load(bytes, path: "bad.yaml")
        XCTAssertNil(file.root)
        XCTAssertEqual(diagnostics.map(\.code), [.yamlSyntax])
        XCTAssertTrue(diagnostics[0].message.contains("UTF-8"), diagnostics[0].message)
        XCTAssertEqual(diagnostics[0].location.line, 2)
        XCTAssertEqual(diagnostics[0].location.column, 11)
    }

    func testTabIndentationIsLocatedWithAHint() {
        let (_, diagnostics) = parse("tenant:\n\tname: Acme\n")
        XCTAssertEqual(diagnostics.map(\.code), [.yamlSyntax])
        XCTAssertEqual(diagnostics[0].location.line, 2)
        XCTAssertTrue(diagnostics[0].message.contains("tab"), diagnostics[0].message)
    }

    func testMultipleDocumentsAreRejectedAtTheSecond() {
        let (_, diagnostics) = parse("tenant: {}\n---\nagents: {}\n")
        XCTAssertEqual(diagnostics.map(\.code), [.multipleDocuments])
        XCTAssertEqual(diagnostics[0].location.line, 2)
    }

    func testTopLevelThatIsNotAMappingIsLocated() {
        let result = load([("list.yaml", "- a\n- b\n")])
        XCTAssertTrue(result.diagnostics.contains { $0.code == .notAMapping && $0.location.line == 1 && $0.location.column == 1 })
    }

    func testBinaryJunkIsAnErrorNotACrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let (_, diagnostics) = YAMLLoader().load(bytes, path: "junk.bin")
            XCTAssertFalse(diagnostics.isEmpty)
            XCTAssertTrue(diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
        }
        let (_, nul) = YAMLLoader().load([0x61, 0x3A, 0x20, 0x00, 0x01], path: "nul.bin")
        XCTAssertEqual(nul.map(\.code), [.yamlSyntax])
    }

    func testEmptyAndCommentOnlyFilesAreEmpty() {
        for text in ["", "# only a comment\n", "---\n", "~\n"] {
            let (file, diagnostics) = parse(text)
            XCTAssertNil(file.root, text)
            XCTAssertEqual(diagnostics, [], text)
        }
    }

    func testUnknownAliasAndHugeScalarsAreLocatedErrors() {
        XCTAssertEqual(parse("a: *nowhere\n").1.map(\.code), [.unknownAlias])
        var limits = LoaderLimits.default
        limits.maxScalarBytes = 10
        let (_, diagnostics) = parse("name: \(String(repeating: "x", count: 11))\n", limits: limits)
        XCTAssertEqual(diagnostics.map(\.code), [.limitExceeded])
        XCTAssertEqual(diagnostics[0].location.column, 7)
    }

    func testNonScalarKeysAreRejected() {
        XCTAssertEqual(parse("? [a, b]\n: c\n").1.map(\.code), [.wrongType])
    }
}
