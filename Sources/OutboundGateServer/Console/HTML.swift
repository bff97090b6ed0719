/// A piece of HTML the console writes. Literal text in `"…"` is markup we wrote; every
/// interpolated `String` is escaped, so a value from configuration (an agent's name, a commit
/// message) can only ever be text. The one way around the escaping is interpolating another
/// `HTML`, which was itself built this way. Plain rendering functions rather than templates:
/// the compiler checks every page, nothing is parsed at run time, and one type escapes.
struct HTML: ExpressibleByStringInterpolation, Sendable {
    private(set) var text: String

    init(stringLiteral literal: String) { text = literal }

    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        mutating func appendInterpolation(_ value: String) { HTML.escape(value, into: &text) }

        mutating func appendInterpolation(_ value: Int) { text += String(value) }

        mutating func appendInterpolation(_ html: HTML) { text += html.text }

        mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { text += part.text }
        }
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted
    /// attributes. Control characters (a path may carry an escape byte) become U+FFFD.
    static func escape(_ value: String, into output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n", "\t": output.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}": output += "\u{FFFD}"
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    /// A console link: `path` with its query parameters percent-encoded, parameters without a
    /// value left out. The result is a `String`, escaped again when interpolated into an attribute.
    static func link(_ path: String, _ parameters: [(String, String?)] = []) -> String {
        let query = parameters.compactMap { name, value in value.map { "\(name)=\(percentEncoded($0))" } }
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }

    /// `/agents/{id}`: the id as one percent-encoded path segment.
    static func agentPath(_ agent: String) -> String { "/agents/" + percentEncoded(agent) }

    /// Everything but RFC 3986's unreserved characters, percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(UnicodeScalar(byte))
            default:
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

extension String {
    /// Zeros before `self` up to `width` characters (hex bytes, session ids).
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
