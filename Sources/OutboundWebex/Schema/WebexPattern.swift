import OutboundConfig

/// A `pattern` of Cisco's schemas. Its syntax is read as Java reads it, since Cisco's service is
/// written in Java and its document has patterns only Java accepts (in `[a-zA-Z\d-_\s]` the `-`
/// after `\d` is a literal hyphen, where Python and ICU refuse the class): `\d` is `0-9` and `\s`
/// ASCII white space. It matches as JSON Schema says, anywhere in the value unless anchored, and
/// `$` is the end of the value (as in ECMA-262; Java's `find` and Python also let a final new
/// line follow it).
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

        mutating func insert(_ range: ClosedRange<UInt8>) {
            for byte in range { insert(byte) }
        }

        mutating func formUnion(_ other: ASCIISet) {
            low |= other.low
            high |= other.high
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }

        static let digits: ASCIISet = {
            var set = ASCIISet()
            set.insert(0x30...0x39)
            return set
        }()
        /// Java's `\s`: space, tab, new line, vertical tab, form feed, carriage return.
        static let space: ASCIISet = {
            var set = ASCIISet()
            set.insert(0x20)
            set.insert(0x09...0x0D)
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

        /// `\d` and `\s` as classes; escaped punctuation stands for itself. Java gives other
        /// escaped letters and digits meanings of their own (`\S`, `\b`, `\n`, back references),
        /// which this does not read: they are refused, never taken for the letter.
        func escape(_ byte: UInt8) throws -> (set: ASCIISet, isClass: Bool) {
            switch byte {
            case UInt8(ascii: "d"): return (.digits, true)
            case UInt8(ascii: "s"): return (.space, true)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                throw unsupported("the escape \\\(Character(Unicode.Scalar(byte)))")
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
                set = try escape(escaped).set
            case UInt8(ascii: "["):
                guard bytes.first != UInt8(ascii: "^") else { throw unsupported("negated classes") }
                var closed = false
                // The previous single character, which a following `-` may make a range from.
                var rangeStart: UInt8?
                while let member = bytes.popFirst() {
                    if member == UInt8(ascii: "]") {
                        closed = true
                        break
                    }
                    if member == UInt8(ascii: "-"), let start = rangeStart, let end = bytes.first, end != UInt8(ascii: "]") {
                        bytes.removeFirst()
                        var last = end
                        if end == UInt8(ascii: "\\") {
                            guard let escaped = bytes.popFirst(), try !escape(escaped).isClass else { throw unsupported("a range to a class") }
                            last = escaped
                        }
                        guard start <= last else { throw unsupported("a range that runs backwards") }
                        set.insert(start...last)
                        rangeStart = nil
                        continue
                    }
                    if member == UInt8(ascii: "\\") {
                        guard let escaped = bytes.popFirst() else { throw unsupported("an unclosed class") }
                        let (members, isClass) = try escape(escaped)
                        set.formUnion(members)
                        // Java: after a class escape, `-` is a literal hyphen.
                        rangeStart = isClass ? nil : escaped
                    } else {
                        guard member != UInt8(ascii: "[") else { throw unsupported("nested classes") }
                        // Java reads `&&` in a class as an intersection.
                        guard member != UInt8(ascii: "&") || bytes.first != UInt8(ascii: "&") else { throw unsupported("class intersections (&&)") }
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
            case UInt8(ascii: "*"):
                bytes.removeFirst()
                (atom.minimum, atom.maximum) = (0, .max)
            case UInt8(ascii: "+"):
                bytes.removeFirst()
                (atom.minimum, atom.maximum) = (1, .max)
            case UInt8(ascii: "?"):
                bytes.removeFirst()
                (atom.minimum, atom.maximum) = (0, 1)
            case UInt8(ascii: "{"):
                bytes.removeFirst()
                guard let close = bytes.firstIndex(of: UInt8(ascii: "}")) else { throw unsupported("an unclosed {") }
                // `{n}`, `{n,}` or `{n,m}`, in digits only (`Int` would also take a sign).
                let bounds = bytes[..<close].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                func number(_ digits: ArraySlice<UInt8>) -> Int? {
                    digits.isEmpty || digits.count > 9 || !digits.allSatisfy({ (0x30...0x39).contains($0) })
                        ? nil : Int(String(decoding: digits, as: UTF8.self))
                }
                guard bounds.count <= 2, let low = number(bounds[0]) else { throw unsupported("a repetition it cannot read") }
                let high = bounds.count == 1 ? low : bounds[1].isEmpty ? Int.max : number(bounds[1])
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
