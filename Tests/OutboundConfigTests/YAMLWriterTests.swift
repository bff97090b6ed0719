import OutboundConfig
import XCTest

/// Which scalars `export` and `import webex` write plain: only those a YAML reader takes back
/// as the same string, on the ASCII fast path and the Unicode path alike.
final class YAMLWriterTests: XCTestCase {
    func testScalarsThatReadAsSomethingElseAreQuoted() {
        for text in [
            "", "true", "Yes", "off", "null", "~", "1", "1.5", "1e3", "inf", "nan", "snan", "Infinity", " x", "x ", "a: b", "#x", "x #y",
            "+351910000001", "-x", ".x", "x:", "tab\there", "quote\"d", "Nº 1: x",
            "INF", "NaN", "NaN(1)", "sNaN", "nO", "NULL", "Y", "0x1F",
        ] {
            XCTAssertEqual(YAMLWriter.scalar(text).first, "\"", "'\(text)' must be quoted")
        }
        for text in [
            "ana.silva", "Ana Silva", "support@acme.example", "a/b (c) d+e_f-g", "O'Brien", "João", "Łukasiewicz", "x1", "infra", "snap", "name",
            "nano", "n@n", "yesterday", "onto", "sites",
        ] {
            XCTAssertEqual(YAMLWriter.scalar(text), text, "'\(text)' reads back plain")
        }
    }

    /// Text with characters beyond ASCII: plain when it is letters (of any script), ASCII digits
    /// and the plain punctuation, starting with a letter or digit and not ending in a space.
    func testTextBeyondASCIIIsPlainOnlyWhenItsCharactersAre() {
        for text in ["Ñandú 2", "Ⅻ", "\u{212A}elvin", "1ª", "Ålesund/Bjørn (øst)", "ǅemal"] {
            XCTAssertEqual(YAMLWriter.scalar(text), text, "'\(text)' reads back plain")
        }
        for text in ["Ä: b", "é #x", "é:", "é ", " é", "١٢٣", "é\u{00A0}a", "é\u{2028}", "«é»", "é,a", "-é", "é\u{301}", "\u{FEFF}é"] {
            XCTAssertEqual(YAMLWriter.scalar(text).first, "\"", "'\(text)' must be quoted")
        }
    }
}
