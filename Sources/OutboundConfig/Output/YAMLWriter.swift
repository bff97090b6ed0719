/// Writes canonical JSON values as block YAML for `export` and `import webex`: deterministic,
/// readable, and read back by the loader to the same canonical form. Strings are quoted
/// whenever a YAML reader could take them for something else.
///
/// Everything is appended to one byte buffer, and plain-safety is decided on the UTF-8 bytes
/// of ASCII text: writing a 50,000-agent import spent 30 % of its time asking Unicode scalar
/// properties (`isAlphabetic`) and building intermediate strings, and a quarter of the rest
/// appending to a `String`.
public enum YAMLWriter {
    /// A mapping's members as block lines at `indent` spaces.
    public static func block(_ members: [(String, JSON)], indent: Int = 0) -> String {
        var output: [UInt8] = []
        write(members, indent: indent, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ members: [(String, JSON)], indent: Int, into output: inout [UInt8]) {
        for (key, value) in members {
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            appendScalar(key, to: &output)
            switch value {
            case .object(let nested) where !nested.isEmpty:
                output.write(":\n")
                write(nested, indent: indent + 2, into: &output)
            default:
                output.write(": ")
                appendInline(value, to: &output)
                output.append(0x0A)
            }
        }
    }

    /// A value on one line: scalars, flow lists, flow mappings.
    public static func inline(_ value: JSON) -> String {
        var output: [UInt8] = []
        appendInline(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendInline(_ value: JSON, to output: inout [UInt8]) {
        switch value {
        case .null: output.write("null")
        case .bool(let flag): flag ? output.write("true") : output.write("false")
        case .int(let number): output += String(number).utf8
        case .number(let number):
            if number.isFinite { output += String(number).utf8 } else { output.write(".nan") }
        case .string(let text): appendScalar(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.write(", ") }
                appendInline(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { output.write(", ") }
                appendScalar(key, to: &output)
                output.write(": ")
                appendInline(item, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The text plain when that is unambiguous, else double-quoted (JSON escapes are YAML's).
    public static func scalar(_ text: String) -> String {
        var output: [UInt8] = []
        appendScalar(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendScalar(_ text: String, to output: inout [UInt8]) {
        if isPlainSafe(text) { output += text.utf8 } else { JSON.escape(text, into: &output) }
    }

    /// Words YAML 1.1 readers take for booleans or null, in any case.
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]
    private static let reservedBytes = reserved.map { Array($0.utf8) }

    static func isPlainSafe(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return false }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return isPlainSafeUnicode(text) }
        guard isAlphanumeric(first), last != UInt8(ascii: " ") else { return false }
        // ':' and '#' are not among the plain bytes, so "key: value" and " #" cannot occur.
        guard bytes.allSatisfy({ isAlphanumeric($0) || isPlainPunctuation($0) }) else { return false }
        // Compared byte by byte: lower-casing every short key and value into a new string
        // was a tenth of writing a 50,000-agent import.
        if bytes.count <= 5, reservedBytes.contains(where: { $0.count == bytes.count && zip($0, bytes).allSatisfy { $0 == $1 | 0x20 } }) {
            return false
        }
        // Only a text starting with a digit, or with inf, nan or snan (`Double` reads "nan(1)"),
        // reads as a number: others are not handed to the number parsers.
        let start = bytes.prefix(4).map { $0 | 0x20 }
        if isDigit(first) || start.starts(with: "inf".utf8) || start.starts(with: "nan".utf8) || start.starts(with: "snan".utf8) {
            return Int(text) == nil && Double(text) == nil
        }
        return true
    }

    /// The punctuation a plain scalar may hold: " ._-@/+()'".
    private static func isPlainPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "/"),
            UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"):
            true
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    /// Text with letters beyond ASCII (`João`): letters of any script are plain. Such a text is
    /// no number and none of the reserved words (which are ASCII), and ':' and '#' are not among
    /// the characters allowed, so the characters alone decide; ASCII ones by their byte (asking
    /// Unicode's properties of every character, with the number parsers, lower-casing and
    /// searches before, was half of writing the agents of a 50,000-user import).
    private static func isPlainSafeUnicode(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, scalars.last != " " else { return false }
        func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? isAlphanumeric(UInt8(scalar.value)) : scalar.properties.isAlphabetic
        }
        return isLetterOrDigit(first) && scalars.allSatisfy { isLetterOrDigit($0) || ($0.isASCII && isPlainPunctuation(UInt8($0.value))) }
    }
}
