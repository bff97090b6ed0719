import Foundation

/// JSON text checked and laid out as one flat array of nodes that point into the text, in
/// document order: a container's node is followed by its members (each key's node, then the
/// value's) or items, and knows where its last descendant ends. Strings and numbers stay
/// bytes until someone reads them.
///
/// Why a tape: `import webex` reads 50 MB of export JSON and maps a few fields of each item.
/// Parsed into `JSON` trees, every value became a heap string and every object an array, and
/// making and freeing them was most of the import; here one array holds the whole file.
/// `JSON.parse` builds its trees from a tape too, so there is one JSON grammar in the project.
public final class JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case object, array, string, escapedString, number, `true`, `false`, null
    }

    /// A value: for strings (without their quotes) and numbers, where their text is; for
    /// containers, the opener's offset and the index of the first node after the container.
    struct Node {
        var kind: Kind
        /// Members of an object, items of an array.
        var count: UInt32
        var start: UInt32
        var end: UInt32
    }

    public struct ParseError: Error, CustomStringConvertible {
        public enum Problem: String, Sendable {
            case unexpected = "not what JSON has here"
            case endsTooSoon = "the text ends too soon"
            case controlCharacter = "a control character in a string (JSON needs it escaped)"
            case invalidEscape = "an escape JSON does not have (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
            case loneSurrogate = "half of a UTF-16 surrogate pair, without the other half"
            case invalidUTF8 = "bytes that are not UTF-8"
            case tooDeep = "values nested deeper than 512 levels"
            case tooLarge = "text over 4 GiB"
            case badNumber = "a number JSON does not have, or one no double holds"
        }

        public var offset: Int
        public var problem: Problem
        public var description: String { "invalid JSON at byte \(offset): \(problem.rawValue)" }
    }

    let bytes: [UInt8]
    let nodes: [Node]

    /// Values nest at most this deep: deeper text is refused rather than overflowing the stack.
    package static let maximumDepth = 512

    /// Reads one JSON value (RFC 8259) with white space around it, strictly: strings are UTF-8
    /// without raw control characters, escapes are JSON's, and a `\u` escape of a UTF-16
    /// surrogate comes with its other half (a lone one is no Unicode text). Duplicate keys are
    /// kept; readers decide (`member(_:of:)` finds the first).
    public init(bytes: [UInt8]) throws {
        guard bytes.count < Int(UInt32.max) else { throw ParseError(offset: Int(UInt32.max), problem: .tooLarge) }
        self.bytes = bytes
        nodes = try bytes.withUnsafeBufferPointer { buffer in
            var parser = Scanner(bytes: buffer)
            parser.nodes.reserveCapacity(bytes.count / 16)
            try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw ParseError(offset: parser.index, problem: .unexpected) }
            return parser.nodes
        }
    }

    /// The root value's node.
    public var root: Int { 0 }

    public func kind(_ node: Int) -> Kind { nodes[node].kind }

    /// The text of an object or array as it was read, brackets included: what `webex pull`
    /// writes, so an item is kept as the tenant sent it, not as this reader would spell it.
    package func text(ofContainer node: Int) -> ArraySlice<UInt8> {
        let start = Int(nodes[node].start)
        var depth = 0
        var inString = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return bytes[start...index] }
                default: break
                }
            }
            index += 1
        }
        return bytes[start...]
    }

    /// Any value's text as it was read (a string with its quotes): what `webex push` sends back
    /// for the fields it does not change, so they survive byte for byte.
    package func rawText(of node: Int) -> ArraySlice<UInt8> {
        let value = nodes[node]
        switch value.kind {
        case .object, .array: return text(ofContainer: node)
        case .string, .escapedString: return bytes[Int(value.start) - 1...Int(value.end)]
        default: return bytes[Int(value.start)..<Int(value.end)]
        }
    }

    /// The members of an object or the items of an array.
    public func count(_ node: Int) -> Int { Int(nodes[node].count) }

    /// The node after `node` and everything inside it: the next sibling, if any.
    public func after(_ node: Int) -> Int {
        let value = nodes[node]
        return value.kind == .object || value.kind == .array ? Int(value.end) : node + 1
    }

    /// The first item of an array, the first key of an object.
    public func firstChild(_ node: Int) -> Int { node + 1 }

    /// The key nodes of an object's members, in order; each member's value is the node after
    /// its key.
    public func keys(of object: Int) -> Siblings { Siblings(tape: self, node: firstChild(object), remaining: count(object), areKeys: true) }

    /// The nodes of an array's items, in order.
    public func items(of array: Int) -> Siblings { Siblings(tape: self, node: firstChild(array), remaining: count(array), areKeys: false) }

    /// The value node of `object`'s first member named `name` (compared as
    /// `string(_:equals:)` compares).
    public func member(_ name: String, of object: Int) -> Int? {
        keys(of: object).first { string($0, equals: name) }.map { $0 + 1 }
    }

    /// An object's keys or an array's items, walked without making anything.
    public struct Siblings: Sequence, IteratorProtocol {
        let tape: JSONTape
        var node: Int
        var remaining: Int
        /// A key is followed by its value, which the walk steps over.
        let areKeys: Bool

        public var underestimatedCount: Int { remaining }

        public mutating func next() -> Int? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            defer { node = tape.after(areKeys ? node + 1 : node) }
            return node
        }
    }

    /// A string node's text.
    public func string(_ node: Int) -> String {
        let value = nodes[node]
        let text = bytes[Int(value.start)..<Int(value.end)]
        return value.kind == .string ? String(decoding: text, as: UTF8.self) : Self.unescaped(text)
    }

    /// Whether a string node's text is `text`, without making a string of it. Compared as
    /// UTF-8 code units, as RFC 8259 §8.3 advises for member names (not by Unicode
    /// canonical equivalence, as `String`'s `==` would).
    public func string(_ node: Int, equals text: String) -> Bool {
        let value = nodes[node]
        guard value.kind == .string else { return string(node).utf8.elementsEqual(text.utf8) }
        let length = Int(value.end - value.start)
        var text = text
        return text.withUTF8 { expected in
            guard expected.count == length else { return false }
            return bytes.withUnsafeBufferPointer { all in
                length == 0 || memcmp(all.baseAddress! + Int(value.start), expected.baseAddress!, length) == 0
            }
        }
    }

    /// A string node's text as UTF-8, without making a `String` (unless it has escapes).
    package func utf8(_ node: Int) -> ArraySlice<UInt8> {
        let value = nodes[node]
        return value.kind == .string ? bytes[Int(value.start)..<Int(value.end)] : ArraySlice(string(node).utf8)
    }

    /// A number node's text, as written.
    package func numberText(_ node: Int) -> String {
        let value = nodes[node]
        return String(decoding: bytes[Int(value.start)..<Int(value.end)], as: UTF8.self)
    }

    /// Whether a number node is written as a whole number: no fraction, no exponent.
    package func isWholeNumber(_ node: Int) -> Bool {
        let value = nodes[node]
        return !bytes[Int(value.start)..<Int(value.end)].contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
    }

    /// A number's value as JSON Schema compares numbers: whole numbers exactly (`1.0` is 1, and
    /// 2^53 + 1 is not 2^53), others as doubles.
    package enum NumberValue: Hashable {
        case whole(Int)
        case fraction(Double)
    }

    package func numberValue(_ node: Int) -> NumberValue {
        let text = numberText(node)
        if let whole = Int(text) { return .whole(whole) }
        let value = Double(text) ?? .nan
        return value == value.rounded() && abs(value) < 0x1p63 ? .whole(Int(value)) : .fraction(value)
    }

    /// Whether two values are equal as JSON Schema compares them (`uniqueItems`): strings by
    /// their text, numbers by their value, containers member by member whatever the order of
    /// an object's keys.
    package func sameValue(_ a: Int, _ b: Int) -> Bool {
        switch (kind(a), kind(b)) {
        case (.string, .string): return sameText(a, b)
        case (.string, .escapedString), (.escapedString, .string), (.escapedString, .escapedString): return utf8(a) == utf8(b)
        case (.number, .number): return sameText(a, b) || numberValue(a) == numberValue(b)
        case (.array, .array):
            return count(a) == count(b) && zip(items(of: a), items(of: b)).allSatisfy { sameValue($0, $1) }
        case (.object, .object):
            guard count(a) == count(b) else { return false }
            guard count(b) > 8 else {
                return keys(of: a).allSatisfy { key in keys(of: b).contains { utf8($0) == utf8(key) && sameValue($0 + 1, key + 1) } }
            }
            // Looked up by name, so that two objects of many members cost no more than their size.
            var members: [ArraySlice<UInt8>: Int] = [:]
            for key in keys(of: b) where members[utf8(key)] == nil { members[utf8(key)] = key + 1 }
            return keys(of: a).allSatisfy { key in members[utf8(key)].map { sameValue($0, key + 1) } ?? false }
        case (let first, let second): return first == second
        }
    }

    /// A hash of an object's keys as written, in order: objects with the same keys share it.
    package func keySignature(of object: Int) -> UInt64 {
        var hash = FNV1a()
        bytes.withUnsafeBytes { all in
            for key in keys(of: object) {
                let node = nodes[key]
                hash.combine(UInt64(node.end - node.start))
                hash.combine(UnsafeRawBufferPointer(rebasing: all[Int(node.start)..<Int(node.end)]))
            }
        }
        return hash.value
    }

    /// Whether two objects have the same keys, written the same way, in the same order.
    package func sameKeys(_ a: Int, _ b: Int) -> Bool {
        count(a) == count(b) && zip(keys(of: a), keys(of: b)).allSatisfy { sameText($0, $1) }
    }

    /// A hash of a value that equal values (`sameValue`) share: object members are combined
    /// whatever their order. Seeded per process, as `Hasher` is, so no export can be written to
    /// make many values collide.
    package func valueHash(_ node: Int) -> Int {
        var hasher = Hasher()
        let kind = kind(node)
        switch kind {
        case .string, .escapedString:
            hasher.combine(0)
            hasher.combine(utf8(node))
        case .number:
            hasher.combine(numberValue(node))
        case .true, .false, .null:
            hasher.combine(kind)
        case .array:
            hasher.combine(kind)
            for item in items(of: node) { hasher.combine(valueHash(item)) }
        case .object:
            hasher.combine(kind)
            var members = 0
            for key in keys(of: node) {
                var member = Hasher()
                member.combine(utf8(key))
                member.combine(valueHash(key + 1))
                members &+= member.finalize()
            }
            hasher.combine(members)
        }
        return hasher.finalize()
    }

    /// Whether two string nodes hold the same bytes (keys of two objects, compared cheaply).
    package func sameText(_ a: Int, _ b: Int) -> Bool {
        let first = nodes[a]
        let second = nodes[b]
        guard first.end - first.start == second.end - second.start else { return false }
        return bytes[Int(first.start)..<Int(first.end)].elementsEqual(bytes[Int(second.start)..<Int(second.end)])
    }

    /// A number node's value: an integer when it is a whole number that fits, else a double
    /// (finite: the scanner refused others).
    public func number(_ node: Int) -> JSON {
        let text = numberText(node)
        if let integer = Int(text) { return .int(integer) }
        return .number(Double(text) ?? .nan)
    }

    /// Where a node's text starts in the bytes.
    public func offset(_ node: Int) -> Int { Int(nodes[node].start) }

    /// An escaped string's text. The scanner checked every escape, so `\X` is one of JSON's
    /// and stands for `X` unless it is one of the letters below.
    private static func unescaped(_ text: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        func hex(_ at: Int) -> UInt32 { UInt32(String(decoding: text[at..<at + 4], as: UTF8.self), radix: 16)! }
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            let escape = text[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                var code = hex(index)
                index += 4
                // A surrogate pair spelled as two escapes is one character (the scanner saw
                // that a high half has its low half).
                if (0xD800..<0xDC00).contains(code) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (hex(index + 2) - 0xDC00)
                    index += 6
                }
                output += Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
            default: output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// One pass over the bytes, appending nodes. It reads an unsafe buffer: bounds-checked
    /// array reads made scanning a 50 MB export a third slower.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var nodes: [Node] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }

        mutating func value(depth: Int) throws {
            guard depth < JSONTape.maximumDepth else { throw ParseError(offset: index, problem: .tooDeep) }
            skipWhitespace()
            guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
            switch bytes[index] {
            case UInt8(ascii: "{"): try container(.object, closing: UInt8(ascii: "}"), depth: depth)
            case UInt8(ascii: "["): try container(.array, closing: UInt8(ascii: "]"), depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true", .true)
            case UInt8(ascii: "f"): try literal("false", .false)
            case UInt8(ascii: "n"): try literal("null", .null)
            default: try number()
            }
        }

        mutating func container(_ kind: Kind, closing: UInt8, depth: Int) throws {
            let node = nodes.count
            nodes.append(Node(kind: kind, count: 0, start: UInt32(index), end: 0))
            index += 1
            var count: UInt32 = 0
            skipWhitespace()
            if index < bytes.count, bytes[index] == closing {
                index += 1
            } else {
                while true {
                    if kind == .object {
                        skipWhitespace()
                        guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
                        guard bytes[index] == UInt8(ascii: "\"") else { throw ParseError(offset: index, problem: .unexpected) }
                        try string()
                        skipWhitespace()
                        try expect(UInt8(ascii: ":"))
                    }
                    try value(depth: depth + 1)
                    count += 1
                    skipWhitespace()
                    guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
                    if bytes[index] == closing {
                        index += 1
                        break
                    }
                    try expect(UInt8(ascii: ","))
                }
            }
            nodes[node].count = count
            nodes[node].end = UInt32(nodes.count)
        }

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
            guard bytes[index] == byte else { throw ParseError(offset: index, problem: .unexpected) }
            index += 1
        }

        mutating func literal(_ word: StaticString, _ kind: Kind) throws {
            let start = index
            for offset in 0..<word.utf8CodeUnitCount { try expect(word.utf8Start[offset]) }
            nodes.append(Node(kind: kind, count: 0, start: UInt32(start), end: UInt32(index)))
        }

        mutating func string() throws {
            index += 1
            let start = index
            var escaped = false
            while true {
                // Printable ASCII other than the quote and the backslash is most of any text.
                while index < bytes.count {
                    let byte = bytes[index]
                    guard byte &- 0x20 < 0x60, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                    index += 1
                }
                guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    nodes.append(Node(kind: escaped ? .escapedString : .string, count: 0, start: UInt32(start), end: UInt32(index)))
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    escaped = true
                    try escape()
                case 0x80...:
                    try utf8Character()
                default:
                    throw ParseError(offset: index, problem: .controlCharacter)
                }
            }
        }

        /// Steps over one escape, at its backslash.
        mutating func escape() throws {
            index += 1
            guard index < bytes.count else { throw ParseError(offset: index, problem: .endsTooSoon) }
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                UInt8(ascii: "r"), UInt8(ascii: "t"):
                index += 1
            case UInt8(ascii: "u"):
                let code = try hexCode(at: index + 1)
                index += 5
                if (0xDC00..<0xE000).contains(code) { throw ParseError(offset: index - 6, problem: .loneSurrogate) }
                if (0xD800..<0xDC00).contains(code) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                        (0xDC00..<0xE000).contains(try hexCode(at: index + 2))
                    else { throw ParseError(offset: index - 6, problem: .loneSurrogate) }
                    index += 6
                }
            default:
                throw ParseError(offset: index - 1, problem: .invalidEscape)
            }
        }

        /// The four hex digits of a `\u` escape, starting at `position`.
        func hexCode(at position: Int) throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw ParseError(offset: bytes.count, problem: .endsTooSoon) }
            var code: UInt32 = 0
            for byte in bytes[position..<(position + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw ParseError(offset: position, problem: .invalidEscape)
                }
                code = code << 4 | UInt32(digit)
            }
            return code
        }

        /// Steps over one UTF-8 encoded character of two to four bytes, refusing what RFC 3629
        /// refuses: stray continuation bytes, overlong forms, surrogates, code points past
        /// U+10FFFF.
        mutating func utf8Character() throws {
            let lead = bytes[index]
            // The continuation bytes after the lead, and the range the first of them must be in.
            let (length, first): (Int, ClosedRange<UInt8>) =
                switch lead {
                case 0xC2...0xDF: (1, 0x80...0xBF)
                case 0xE0: (2, 0xA0...0xBF)
                case 0xED: (2, 0x80...0x9F)
                case 0xE1...0xEF: (2, 0x80...0xBF)
                case 0xF0: (3, 0x90...0xBF)
                case 0xF1...0xF3: (3, 0x80...0xBF)
                case 0xF4: (3, 0x80...0x8F)
                default: (0, 0...0)
                }
            guard length > 0, index + length < bytes.count, first.contains(bytes[index + 1]),
                bytes[(index + 2)..<(index + 1 + length)].allSatisfy({ $0 & 0xC0 == 0x80 })
            else {
                throw ParseError(offset: index, problem: .invalidUTF8)
            }
            index += 1 + length
        }

        /// RFC 8259's number. One that is not a whole number, or has more digits than an
        /// integer holds, must be a finite double: checked here, so readers never meet one
        /// that is not (the rest are rare in the files this reads).
        mutating func number() throws {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            skipDigits()
            let integerDigits = index - integerStart
            guard integerDigits > 0 else { throw ParseError(offset: start, problem: index < bytes.count ? .unexpected : .endsTooSoon) }
            guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw ParseError(offset: start, problem: .badNumber) }
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                isInteger = false
                guard skipDigits() > 0 else { throw ParseError(offset: index, problem: .badNumber) }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                isInteger = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() > 0 else { throw ParseError(offset: index, problem: .badNumber) }
            }
            if !isInteger || integerDigits > 18 {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                guard isInteger && Int(text) != nil || Double(text)?.isFinite == true else { throw ParseError(offset: start, problem: .badNumber) }
            }
            nodes.append(Node(kind: .number, count: 0, start: UInt32(start), end: UInt32(index)))
        }

        /// Skips ASCII digits; how many there were.
        @discardableResult
        mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
    }
}
