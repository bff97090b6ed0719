import OutboundConfig
import XCTest

@testable import OutboundWebex

/// The decoder `import webex` reads items with, straight off a `JSONTape`.
final class JSONTapeDecoderTests: XCTestCase {
    private struct Item: Decodable, Equatable {
        enum Mode: String, Decodable {
            case on = "ON"
            case off = "OFF"
        }
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
        XCTAssertEqual(
            try decode(
                #"{"id": "a", "count": 3, "small": 7, "ratio": 2, "flag": false, "tags": ["x", "y"], "mode": "ON", "nested": [{"name": "n"}], "other": {"deep": [1]}}"#
            ),
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
        XCTAssertEqual(
            failure(#"{"id": "a", "nested": [{"name": "n"}, {}]}"#), "f.json: $.nested[1].name: error: required by Cisco's schema, missing")
        XCTAssertEqual(failure(#"[1]"#), "f.json: $: error: expected an object")
    }
}
