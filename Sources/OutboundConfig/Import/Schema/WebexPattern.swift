/// A `pattern` of Cisco's schemas, read as Java reads it (Cisco's service is written in Java, and
/// its document has patterns only Java accepts: in `[a-zA-Z\d-_\s]` the `-` after `\d` is a
/// literal hyphen, where Python and ICU refuse the class): `\d` is `0-9`, `\s` is ASCII white
/// space, and the whole value must match once `^` and `$` are there (Bean Validation's
/// `@Pattern` matches the whole value).
///
/// Why not `NSRegularExpression`: it refuses that class, and checking two patterns on each of
/// 50,000 users through it costs more than the rest of the schema check. The patterns are a
/// sequence of character classes and literals with quantifiers, which this matches on the
/// value's UTF-8 bytes. Anything else (groups, alternation, non-ASCII) is refused when the
/// schemas are compiled, and a test compiles every pattern of the embedded document.
struct WebexPattern: Sendable {
    struct Unsupported: Error, CustomStringConvertible {
        var pattern: String
        var reason: String
        var description: String { "pattern \(pattern): \(reason)" }
    }

    /// One character class (a literal is a class of one) repeated `minimum...maximum` times.
    private struct Atom {
        var set: ASCIISet
        var minimum: Int
        var maximum: Int
    }

    /// ASCII characters as 128 bits; a byte at or above 0x80 (any non-ASCII character) is in
    /// no class these patterns write.
    private struct ASCIISet {
        var low: UInt64 = 0
        var high: UInt64 = 0

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        mutating func insert(_ range: ClosedRange<UInt8>) { range.forEach { insert($0) } }

        mutating func formUnion(_ other: ASCIISet) {
            low |= other.low
            high |= other.high
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }

        static let digits: ASCIISet = { var set = ASCIISet(); set.insert(0x30...0x39); return set }()
        /// Java's `\s`: space, tab, new line, vertical tab, form feed, carriage return.
        static let space: ASCIISet = { var set = ASCIISet(); set.insert(0x20); set.insert(0x09...0x0D); return set }()
        static let word: ASCIISet = {
            var set = digits
            set.insert(0x41...0x5A)
            set.insert(0x61...0x7A)
            set.insert(0x5F)
            return set
        }()
    }

    let source: String
    private let atoms: [Atom]
    private let anchoredAtStart: Bool
    private let anchoredAtEnd: Bool

    init(_ source: String) throws {
        self.source = source
        var bytes = Array(source.utf8)[...]
        func unsupported(_ reason: String) -> Unsupported { Unsupported(pattern: source, reason: reason) }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { throw unsupported("non-ASCII characters") }
        anchoredAtStart = bytes.first == UInt8(ascii: "^")
        if anchoredAtStart { bytes.removeFirst() }
        anchoredAtEnd = bytes.last == UInt8(ascii: "$") && bytes.dropLast().last != UInt8(ascii: "\\")
        if anchoredAtEnd { bytes.removeLast() }

        /// `\d`, `\s`, `\w` as classes; any other escaped character stands for itself.
        func escape(_ byte: UInt8) -> (set: ASCIISet, isClass: Bool) {
            switch byte {
            case UInt8(ascii: "d"): return (.digits, true)
            case UInt8(ascii: "s"): return (.space, true)
            case UInt8(ascii: "w"): return (.word, true)
            default:
                var set = ASCIISet()
                set.insert(byte)
                return (set, false)
            }
        }

        var atoms: [Atom] = []
        while let byte = bytes.popFirst() {
            var set = ASCIISet()
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = bytes.popFirst() else { throw unsupported("ends with a backslash") }
                set = escape(escaped).set
            case UInt8(ascii: "["):
                guard bytes.first != UInt8(ascii: "^") else { throw unsupported("negated classes") }
                var closed = false
                // The previous single character, which a following `-` may make a range from.
                var rangeStart: UInt8?
                while let member = bytes.popFirst() {
                    if member == UInt8(ascii: "]") { closed = true; break }
                    if member == UInt8(ascii: "-"), let start = rangeStart, let end = bytes.first, end != UInt8(ascii: "]") {
                        bytes.removeFirst()
                        var last = end
                        if end == UInt8(ascii: "\\") {
                            guard let escaped = bytes.popFirst(), !escape(escaped).isClass else { throw unsupported("a range to a class") }
                            last = escaped
                        }
                        guard start <= last else { throw unsupported("a range that runs backwards") }
                        set.insert(start...last)
                        rangeStart = nil
                        continue
                    }
                    if member == UInt8(ascii: "\\") {
                        guard let escaped = bytes.popFirst() else { throw unsupported("an unclosed class") }
                        let (members, isClass) = escape(escaped)
                        set.formUnion(members)
                        // Java: after a class escape, `-` is a literal hyphen.
                        rangeStart = isClass ? nil : escaped
                    } else {
                        guard member != UInt8(ascii: "[") else { throw unsupported("nested classes") }
                        set.insert(member)
                        rangeStart = member
                    }
                }
                guard closed else { throw unsupported("an unclosed class") }
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                throw unsupported("'\(Character(Unicode.Scalar(byte)))' outside what this reads (classes, literals, quantifiers)")
            default:
                set.insert(byte)
            }
            var atom = Atom(set: set, minimum: 1, maximum: 1)
            switch bytes.first {
            case UInt8(ascii: "*"): bytes.removeFirst(); (atom.minimum, atom.maximum) = (0, .max)
            case UInt8(ascii: "+"): bytes.removeFirst(); (atom.minimum, atom.maximum) = (1, .max)
            case UInt8(ascii: "?"): bytes.removeFirst(); (atom.minimum, atom.maximum) = (0, 1)
            case UInt8(ascii: "{"):
                bytes.removeFirst()
                guard let close = bytes.firstIndex(of: UInt8(ascii: "}")) else { throw unsupported("an unclosed {") }
                let bounds = String(decoding: bytes[..<close], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                guard let low = bounds.first.flatMap({ Int($0) }), bounds.count <= 2 else { throw unsupported("a repetition it cannot read") }
                let high = bounds.count == 1 ? low : bounds[1].isEmpty ? Int.max : Int(bounds[1])
                guard let high, low <= high else { throw unsupported("a repetition it cannot read") }
                (atom.minimum, atom.maximum) = (low, high)
                bytes = bytes[(close + 1)...]
            default: break
            }
            if bytes.first == UInt8(ascii: "?") || bytes.first == UInt8(ascii: "+") { throw unsupported("lazy or possessive quantifiers") }
            atoms.append(atom)
        }
        self.atoms = atoms
    }

    /// Whether `value` (UTF-8) matches: somewhere in it, or, with `^` and `$`, all of it.
    func matches(_ value: ArraySlice<UInt8>) -> Bool {
        let starts = anchoredAtStart ? value.startIndex...value.startIndex : value.startIndex...value.endIndex
        return starts.contains { match(atom: 0, at: $0, in: value) }
    }

    /// Greedy, backing off one repetition at a time. The embedded patterns have at most a few
    /// quantified atoms, and their classes rarely overlap, so this stays linear in practice.
    private func match(atom index: Int, at position: Int, in bytes: ArraySlice<UInt8>) -> Bool {
        guard index < atoms.count else { return !anchoredAtEnd || position == bytes.endIndex }
        let atom = atoms[index]
        var count = 0
        while count < atom.maximum, position + count < bytes.endIndex, atom.set.contains(bytes[position + count]) { count += 1 }
        while count >= atom.minimum {
            if match(atom: index + 1, at: position + count, in: bytes) { return true }
            count -= 1
        }
        return false
    }
}
