@testable import OutboundConfig
import XCTest

/// The project's one JSON grammar (`JSONTape`), the trees `JSON.parse` builds from it, and the
/// decoder `import webex` reads items with.
final class JSONTapeTests: XCTestCase {
    private func parse(_ text: String) throws -> JSON { try JSON.parse(text) }

    private func offset(_ text: String) -> Int? {
        do {
            _ = try JSONTape(bytes: Array(text.utf8))
            return nil
        } catch {
            return (error as? JSONTape.ParseError)?.offset
        }
    }

    func testValuesKeepTheirOrderAndKinds() throws {
        let value = try parse(#" {"b": [1, -2, 3.5, 1e2, true, false, null], "a": {"x": "y", "e": {}, "l": []}} "#)
        XCTAssertEqual(value, .object([
            ("b", .array([.int(1), .int(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null])),
            ("a", .object([("x", .string("y")), ("e", .object([])), ("l", .array([]))])),
        ]))
        // A whole number too large for an integer is a double.
        XCTAssertEqual(try parse("123456789012345678901234567890"), .number(123456789012345678901234567890))
        XCTAssertEqual(try parse("-9223372036854775808"), .int(Int.min))
    }

    func testEscapesAreDecodedAndRawTextKept() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\n\t\r\b\f""#), .string("a\"b\\c/d\n\t\r\u{08}\u{0C}"))
        XCTAssertEqual(try parse(#""\u00e9\u0041""#), .string("éA"))
        // A surrogate pair is one character; a lone surrogate becomes U+FFFD.
        XCTAssertEqual(try parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try parse(#""\ud83d x""#), .string("\u{FFFD} x"))
        XCTAssertEqual(try parse(#""\ud800\u0041""#), .string("\u{FFFD}A"))
        XCTAssertEqual(try parse(#""João""#), .string("João"))
        // Keys with escapes are found by their decoded text.
        let tape = try JSONTape(bytes: Array(#"{"na\u006de": 1, "id": 2}"#.utf8))
        XCTAssertTrue(tape.string(tape.firstChild(tape.root), equals: "name"))
        XCTAssertFalse(tape.string(tape.firstChild(tape.root), equals: "nam"))
        XCTAssertTrue(tape.string(tape.after(tape.firstChild(tape.root) + 1), equals: "id"))
    }

    func testTheTapeSkipsWholeContainers() throws {
        let tape = try JSONTape(bytes: Array(#"[{"a": [1, [2, 3]], "b": {"c": null}}, "next", 4]"#.utf8))
        XCTAssertEqual(tape.count(tape.root), 3)
        let object = tape.firstChild(tape.root)
        XCTAssertEqual(tape.kind(object), .object)
        XCTAssertEqual(tape.count(object), 2)
        let second = tape.after(object)
        XCTAssertEqual(tape.string(second), "next")
        XCTAssertEqual(tape.number(tape.after(second)), .int(4))
    }

    func testInvalidTextIsRefusedWhereItGoesWrong() {
        XCTAssertEqual(offset(""), 0)
        XCTAssertEqual(offset("[1, 2"), 5)
        XCTAssertEqual(offset("[1 2]"), 3)
        XCTAssertEqual(offset(#"{"a" 1}"#), 5)
        XCTAssertEqual(offset(#"{a: 1}"#), 1)
        XCTAssertEqual(offset(#""open"#), 5)
        XCTAssertEqual(offset(#""\u12x4""#), 3)
        XCTAssertEqual(offset(#""\u+041""#), 3)
        XCTAssertEqual(offset("01"), 0)
        XCTAssertEqual(offset("1."), 2)
        XCTAssertEqual(offset("1e999"), 0)
        XCTAssertEqual(offset("tru"), 3)
        XCTAssertEqual(offset("[] x"), 3)
        XCTAssertNil(offset(" [] \n"))
    }

    func testNestingIsBounded() {
        let deep = String(repeating: "[", count: JSONTape.maximumDepth) + String(repeating: "]", count: JSONTape.maximumDepth)
        XCTAssertNil(offset(deep))
        let tooDeep = "[" + deep + "]"
        XCTAssertEqual(offset(tooDeep), JSONTape.maximumDepth)
        // A scalar counts as a level too.
        let open = String(repeating: "[", count: JSONTape.maximumDepth - 1), close = String(repeating: "]", count: JSONTape.maximumDepth - 1)
        XCTAssertNil(offset(open + "0" + close))
        XCTAssertEqual(offset("[" + open + " 0" + close + "]"), JSONTape.maximumDepth + 1)
    }

    private struct Item: Decodable, Equatable {
        enum Mode: String, Decodable { case on = "ON", off = "OFF" }
        var id: String
        var count: Int?
        var small: UInt8?
        var ratio: Double?
        var flag: Bool?
        var tags: [String]?
        var mode: Mode?
        var nested: [Nested]?
        struct Nested: Decodable, Equatable { var name: String }
    }

    private func decode(_ text: String) throws -> Item {
        let tape = try JSONTape(bytes: Array(text.utf8))
        return try Item(from: JSONTapeDecoder(tape, node: tape.root))
    }

    /// The path an error names, as `WebexInputProblem` writes it.
    private func failure(_ text: String) -> String {
        do {
            _ = try decode(text)
            return "no error"
        } catch let error as DecodingError {
            return WebexInputProblem(file: "f.json", decodingError: error).description
        } catch {
            return "\(error)"
        }
    }

    func testItemsDecodeOffTheTape() throws {
        XCTAssertEqual(try decode(#"{"id": "a", "count": 3, "small": 7, "ratio": 2, "flag": false, "tags": ["x", "y"], "mode": "ON", "nested": [{"name": "n"}], "other": {"deep": [1]}}"#),
                       Item(id: "a", count: 3, small: 7, ratio: 2, flag: false, tags: ["x", "y"], mode: .on, nested: [.init(name: "n")]))
        XCTAssertEqual(try decode(#"{"count": null, "id": "b"}"#), Item(id: "b"))
        // A key spelled with an escape is the same key.
        XCTAssertEqual(try decode(#"{"\u0069d": "c", "fl\u0061g": true}"#), Item(id: "c", flag: true))
    }

    func testDecodingProblemsNameTheirPath() {
        XCTAssertEqual(failure(#"{"count": 1}"#), "f.json: $.id: error: required by Cisco's schema, missing")
        XCTAssertEqual(failure(#"{"id": 1}"#), "f.json: $.id: error: expected a string")
        XCTAssertEqual(failure(#"{"id": null}"#), "f.json: $.id: error: expected a string, found null")
        XCTAssertEqual(failure(#"{"id": "a", "count": "3"}"#), "f.json: $.count: error: expected an integer")
        XCTAssertEqual(failure(#"{"id": "a", "count": 1.5}"#), "f.json: $.count: error: 1.5 is not a Int")
        XCTAssertEqual(failure(#"{"id": "a", "small": 300}"#), "f.json: $.small: error: 300 is not a UInt8")
        XCTAssertEqual(failure(#"{"id": "a", "flag": "yes"}"#), "f.json: $.flag: error: expected a boolean")
        XCTAssertEqual(failure(#"{"id": "a", "tags": ["x", 2]}"#), "f.json: $.tags[1]: error: expected a string")
        XCTAssertEqual(failure(#"{"id": "a", "tags": "x"}"#), "f.json: $.tags: error: expected an array")
        XCTAssertEqual(failure(#"{"id": "a", "nested": [{"name": "n"}, {}]}"#), "f.json: $.nested[1].name: error: required by Cisco's schema, missing")
        XCTAssertEqual(failure(#"[1]"#), "f.json: $: error: expected an object")
    }
}
