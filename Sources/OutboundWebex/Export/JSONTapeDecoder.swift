import OutboundConfig

/// Decodes `Decodable` values from a node of a `JSONTape`, throwing the `DecodingError`s
/// Foundation's `JSONDecoder` throws (with the coding path), so problems read the same.
/// It exists for speed: Foundation's decoder builds a member table for every object, and
/// decoding a 50,000-user export through it took twice as long as reading members off the
/// tape, where objects are small enough to search in order and only the fields read become
/// strings. The coding path is kept as a chain of parents and made into an array only when
/// something asks for it (an error): building it for every field was most of the decoding.
struct JSONTapeDecoder: Decoder {
    let tape: JSONTape
    let node: Int
    private let path: Path?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var codingPath: [any CodingKey] { Path.keys(path) }

    init(_ tape: JSONTape, node: Int, codingPath: [any CodingKey] = []) {
        self.tape = tape
        self.node = node
        path = codingPath.reduce(nil) { Path(parent: $0, key: $1) }
    }

    private init(_ tape: JSONTape, node: Int, path: Path?) {
        self.tape = tape
        self.node = node
        self.path = path
    }

    /// A tape of one null, for a super decoder of a missing key.
    private static let null = try! JSONTape(bytes: Array("null".utf8))

    /// A coding path as a chain, the last key first.
    private final class Path: Sendable {
        let parent: Path?
        let key: any CodingKey

        init(parent: Path?, key: any CodingKey) {
            self.parent = parent
            self.key = key
        }

        static func keys(_ path: Path?) -> [any CodingKey] {
            var keys: [any CodingKey] = []
            var node = path
            while let current = node {
                keys.append(current.key)
                node = current.parent
            }
            return keys.reversed()
        }
    }

    private struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue!)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.kind(node) == .object else { throw Self.mismatch([String: Any].self, tape, node, path) }
        return KeyedDecodingContainer(KeyedContainer<Key>(tape: tape, object: node, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.kind(node) == .array else { throw Self.mismatch([Any].self, tape, node, path) }
        return UnkeyedContainer(tape: tape, array: node, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(tape: tape, node: node, path: path)
    }

    private static func mismatch(_ type: Any.Type, _ tape: JSONTape, _ node: Int, _ path: Path?) -> DecodingError {
        if tape.kind(node) == .null {
            return .valueNotFound(type, .init(codingPath: Path.keys(path), debugDescription: "found null"))
        }
        return .typeMismatch(type, .init(codingPath: Path.keys(path), debugDescription: "found \(JSON(tape, node: node).rendered())"))
    }

    /// The value at `node` (at `key` below `parent`) as a `T`: primitives read off the tape,
    /// with the errors JSONDecoder throws (a wrong type, null, an integer out of range); other
    /// types decode themselves. The path node is made only when needed.
    private static func decode<T: Decodable>(_ type: T.Type, _ tape: JSONTape, _ node: Int, parent: Path?, key: (any CodingKey)?) throws -> T {
        func path() -> Path? { key.map { Path(parent: parent, key: $0) } ?? parent }
        let kind = tape.kind(node)
        if T.self == String.self {
            guard kind == .string || kind == .escapedString else { throw mismatch(T.self, tape, node, path()) }
            return unsafeBitCast(tape.string(node), to: T.self)
        }
        if T.self == Bool.self {
            guard kind == .true || kind == .false else { throw mismatch(T.self, tape, node, path()) }
            return unsafeBitCast(kind == .true, to: T.self)
        }
        let isNumeric = T.self == Double.self || T.self == Float.self || T.self is any FixedWidthInteger.Type
        guard isNumeric else { return try T(from: JSONTapeDecoder(tape, node: node, path: path())) }
        guard kind == .number else { throw mismatch(T.self, tape, node, path()) }
        let value = tape.number(node)
        if T.self == Double.self || T.self == Float.self {
            let number: Double
            switch value {
            case .int(let integer): number = Double(integer)
            case .number(let double): number = double
            default: throw mismatch(T.self, tape, node, path())
            }
            return T.self == Double.self ? unsafeBitCast(number, to: T.self) : unsafeBitCast(Float(number), to: T.self)
        }
        if T.self == Int.self, case .int(let number) = value {
            return unsafeBitCast(number, to: T.self)
        }
        if let integer = T.self as? any FixedWidthInteger.Type {
            let converted: (any FixedWidthInteger)?
            switch value {
            case .int(let number): converted = exactly(integer, Double(number), number)
            case .number(let number): converted = exactly(integer, number, nil)
            default: converted = nil
            }
            guard let converted else {
                throw DecodingError.dataCorrupted(.init(codingPath: Path.keys(path()), debugDescription: "\(value.rendered()) is not a \(T.self)"))
            }
            return converted as! T
        }
        throw mismatch(T.self, tape, node, path())
    }

    /// `number` as an `Integer` when it is one exactly (the integer form when there is one).
    private static func exactly<Integer: FixedWidthInteger>(_ type: Integer.Type, _ number: Double, _ integer: Int?) -> Integer? {
        if let integer { return Integer(exactly: integer) }
        return number.isFinite ? Integer(exactly: number) : nil
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let tape: JSONTape
        let object: Int
        fileprivate let path: Path?

        var codingPath: [any CodingKey] { Path.keys(path) }
        var allKeys: [Key] { tape.keys(of: object).compactMap { Key(stringValue: tape.string($0)) } }

        /// The value node of the member named `key`, the first if it repeats.
        private func member(_ key: Key) -> Int? { tape.member(key.stringValue, of: object) }

        private func required(_ key: Key) throws -> Int {
            guard let value = member(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
            }
            return value
        }

        func contains(_ key: Key) -> Bool { member(key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            tape.kind(try required(key)) == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try JSONTapeDecoder.decode(type, tape, try required(key), parent: path, key: key)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(type, key) }

        private func present<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            guard let value = member(key), tape.kind(value) != .null else { return nil }
            return try JSONTapeDecoder.decode(type, tape, value, parent: path, key: key)
        }

        // The protocol's own versions of these look the key up three times (contains,
        // decodeNil, decode): a third of decoding a 50,000-user export.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(type, key) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONTapeDecoder(tape, node: try required(key), path: Path(parent: path, key: key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONTapeDecoder(tape, node: try required(key), path: Path(parent: path, key: key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            JSONTapeDecoder(tape, node: object, path: path)
        }

        /// Over the member, or over null when there is none (as `JSONDecoder` does).
        func superDecoder(forKey key: Key) throws -> any Decoder {
            guard let value = member(key) else { return JSONTapeDecoder(JSONTapeDecoder.null, node: 0, path: Path(parent: path, key: key)) }
            return JSONTapeDecoder(tape, node: value, path: Path(parent: path, key: key))
        }
    }

    private struct UnkeyedContainer: UnkeyedDecodingContainer {
        let tape: JSONTape
        fileprivate let path: Path?
        let count: Int?
        var currentIndex = 0
        /// The node of the item at `currentIndex`.
        private var next: Int

        fileprivate init(tape: JSONTape, array: Int, path: Path?) {
            self.tape = tape
            self.path = path
            count = tape.count(array)
            next = tape.firstChild(array)
        }

        var codingPath: [any CodingKey] { Path.keys(path) }
        var isAtEnd: Bool { currentIndex >= count! }

        private mutating func advance<T>(_ type: T.Type) throws -> (Int, Index) {
            let index = Index(currentIndex)
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [index], debugDescription: "unkeyed container is at end"))
            }
            let node = next
            currentIndex += 1
            next = tape.after(node)
            return (node, index)
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, tape.kind(next) == .null else { return false }
            _ = try advance(Any.self)
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (node, index) = try advance(type)
            return try JSONTapeDecoder.decode(type, tape, node, parent: path, key: index)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (node, index) = try advance([String: Any].self)
            return try JSONTapeDecoder(tape, node: node, path: Path(parent: path, key: index)).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (node, index) = try advance([Any].self)
            return try JSONTapeDecoder(tape, node: node, path: Path(parent: path, key: index)).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            let (node, index) = try advance(Any.self)
            return JSONTapeDecoder(tape, node: node, path: Path(parent: path, key: index))
        }
    }

    private struct SingleValue: SingleValueDecodingContainer {
        let tape: JSONTape
        let node: Int
        fileprivate let path: Path?

        var codingPath: [any CodingKey] { Path.keys(path) }

        func decodeNil() -> Bool { tape.kind(node) == .null }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONTapeDecoder.decode(type, tape, node, parent: path, key: nil)
        }
    }
}
