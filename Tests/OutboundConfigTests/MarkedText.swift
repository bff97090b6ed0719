import OutboundConfig
import XCTest

/// YAML with markers such as `1️⃣` where a diagnostic must land (after swift-format's
/// MarkedText): the markers are stripped and their 1-based line and column remembered.
struct MarkedText {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    let text: String
    let positions: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        var text = ""
        var positions: [String: (line: Int, column: Int)] = [:]
        var line = 1
        var column = 1
        var rest = Substring(marked)
        outer: while let character = rest.first {
            for marker in MarkedText.markers where rest.hasPrefix(marker) {
                positions[marker] = (line, column)
                rest = rest.dropFirst(marker.count)
                continue outer
            }
            text.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            rest = rest.dropFirst()
        }
        self.text = text
        self.positions = positions
    }
}

/// Loads in-memory files through the whole front end.
func load(_ documents: [(String, String)]) -> LoadResult {
    ConfigurationLoader(now: Date()).load(documents: documents.map { (path: $0.0, text: $0.1) })
}

/// Asserts `diagnostics` holds `code` exactly at the marker's line and column of `file`.
func assertDiagnostic(
    _ code: DiagnosticCode, in diagnostics: [Diagnostic], at marker: String = "1️⃣", of marked: MarkedText, file: String,
    sourceFile: StaticString = #filePath, sourceLine: UInt = #line
) {
    guard let position = marked.positions[marker] else {
        return XCTFail("fixture has no marker \(marker)", file: sourceFile, line: sourceLine)
    }
    let matches = diagnostics.filter { $0.code == code }
    XCTAssertTrue(
        matches.contains { $0.location.file == file && $0.location.line == position.line && $0.location.column == position.column },
        "expected \(code.rawValue) at \(file):\(position.line):\(position.column), got \(diagnostics.map { "\($0.code.rawValue)@\($0.location)" })",
        file: sourceFile, line: sourceLine)
}
