import XCTest

@testable import OutboundConfig

/// The project's one JSON grammar (`JSONTape`) and the trees `JSON.parse` builds from it.
final class JSONTapeTests: XCTestCase {
    private func parse(_ text: String) throws -> JSON { try JSON.parse(text) }

    private func offset(_ text: String) -> Int? { refusal(Array(text.utf8))?.offset }

    private func refusal(_ bytes: [UInt8]) -> JSONTape.ParseError? {
        do {
            _ = try JSONTape(bytes: bytes)
            return nil
        } catch {
            return error as? JSONTape.ParseError
        }
    }

    func testValuesKeepTheirOrderAndKinds() throws {
        let value = try parse(#" {"b": [1, -2, 3.5, 1e2, true, false, null], "a": {"x": "y", "e": {}, "l": []}} "#)
        XCTAssertEqual(
            value,
            .object([
                ("b", .array([.int(1), .int(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null])),
                ("a", .object([("x", .string("y")), ("e", .object([])), ("l", .array([]))])),
            ]))
        // A whole number too large for an integer is a double.
        XCTAssertEqual(try parse("123456789012345678901234567890"), .number(Double("123456789012345678901234567890")!))
        XCTAssertEqual(try parse("-9223372036854775808"), .int(Int.min))
    }

    func testEscapesAreDecodedAndRawTextKept() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\n\t\r\b\f""#), .string("a\"b\\c/d\n\t\r\u{08}\u{0C}"))
        XCTAssertEqual(try parse(#""\u00e9\u0041""#), .string("éA"))
        // A surrogate pair is one character.
        XCTAssertEqual(try parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try parse(#""\uD83D\uDE00 \u0000""#), .string("😀 \u{0}"))
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

    /// RFC 8259 to the letter: what lenient parsers let through is refused, with the reason.
    func testStringsAreStrictJSON() {
        func problem(_ bytes: [UInt8]) -> String? { refusal(bytes).map { "\($0.offset): \($0.problem)" } }
        func quoted(_ inner: [UInt8]) -> [UInt8] { [0x22] + inner + [0x22] }
        // Raw control characters, even tab and new line, must be escaped.
        XCTAssertEqual(problem(quoted([0x61, 0x01])), "2: controlCharacter")
        XCTAssertEqual(problem(quoted([0x09])), "1: controlCharacter")
        XCTAssertEqual(problem(quoted([0x0A])), "1: controlCharacter")
        // Only JSON's escapes.
        XCTAssertEqual(problem(Array(#""\a""#.utf8)), "1: invalidEscape")
        XCTAssertEqual(problem(Array(#""\'""#.utf8)), "1: invalidEscape")
        XCTAssertEqual(problem(Array(#""\u12x4""#.utf8)), "3: invalidEscape")
        // A UTF-16 surrogate escape needs its other half, in order.
        XCTAssertEqual(problem(Array(#""\ud83d x""#.utf8)), "1: loneSurrogate")
        XCTAssertEqual(problem(Array(#""\ud800\u0041""#.utf8)), "1: loneSurrogate")
        XCTAssertEqual(problem(Array(#""x\ude00\ud83d""#.utf8)), "2: loneSurrogate")
        // UTF-8 as RFC 3629 has it: no stray continuation byte, no overlong form, no encoded
        // surrogate, nothing past U+10FFFF, no sequence cut short.
        XCTAssertEqual(problem(quoted([0x80])), "1: invalidUTF8")
        XCTAssertEqual(problem(quoted([0xC0, 0xAF])), "1: invalidUTF8")
        XCTAssertEqual(problem(quoted([0xE0, 0x80, 0xAF])), "1: invalidUTF8")
        XCTAssertEqual(problem(quoted([0xED, 0xA0, 0x80])), "1: invalidUTF8")
        XCTAssertEqual(problem(quoted([0xF4, 0x90, 0x80, 0x80])), "1: invalidUTF8")
        XCTAssertEqual(problem(quoted([0x61, 0xC3])), "2: invalidUTF8")
        XCTAssertEqual(problem(quoted([0xE2, 0x82])), "1: invalidUTF8")
        XCTAssertEqual(problem([0xC3, 0xA9]), "0: unexpected")
        // Every valid length still reads: é, €, 😀 and the last code point.
        XCTAssertNil(problem(quoted(Array("é€😀\u{10FFFF}".utf8))))
        XCTAssertEqual(try parse("\"é€😀\""), .string("é€😀"))
    }

    func testNestingIsBounded() {
        let deep = String(repeating: "[", count: JSONTape.maximumDepth) + String(repeating: "]", count: JSONTape.maximumDepth)
        XCTAssertNil(offset(deep))
        let tooDeep = "[" + deep + "]"
        XCTAssertEqual(offset(tooDeep), JSONTape.maximumDepth)
        // A scalar counts as a level too.
        let open = String(repeating: "[", count: JSONTape.maximumDepth - 1)
        let close = String(repeating: "]", count: JSONTape.maximumDepth - 1)
        XCTAssertNil(offset(open + "0" + close))
        XCTAssertEqual(offset("[" + open + " 0" + close + "]"), JSONTape.maximumDepth + 1)
    }
}
