/// Decodes `Decodable` values from a parsed `JSON` value, throwing the `DecodingError`s
/// Foundation's `JSONDecoder` throws (with the coding path), so problems read the same.
/// It exists for speed: Foundation's decoder builds a member table for every object, and
/// decoding a 50,000-user export through it took twice as long as parsing it with
/// `JSON.parse` and reading members off the parsed objects, which are small enough to search
/// in order. The coding path is kept as a chain of parents and made into an array only when
/// something asks for it (an error): building it for every field was most of the decoding.
struct JSONValueDecoder: Decoder {
    let value: JSON
    private let path: Path?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var codingPath: [any CodingKey] { Path.keys(path) }

    init(_ value: JSON, codingPath: [any CodingKey] = []) {
        self.value = value
        path = codingPath.reduce(nil) { Path(parent: $0, key: $1) }
    }

    private init(_ value: JSON, path: Path?) {
        self.value = value
        self.path = path
    }

    /// A coding path as a chain, the last key first.
    private final class Path: Sendable {
        let parent: Path?
        nonisolated(unsafe) let key: any CodingKey

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
        guard case .object(let members) = value else { throw Self.mismatch([String: Any].self, value, path) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw Self.mismatch([Any].self, value, path) }
        return UnkeyedContainer(items: items, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(value: value, path: path)
    }

    private static func mismatch(_ type: Any.Type, _ value: JSON, _ path: Path?) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: Path.keys(path), debugDescription: "found null"))
        }
        return .typeMismatch(type, .init(codingPath: Path.keys(path), debugDescription: "found \(value)"))
    }

    /// `value` (at `key` below `parent`) as a `T`: primitives read off the value, with the
    /// errors JSONDecoder throws (a wrong type, null, an integer out of range); other types
    /// decode themselves. The path node is made only when needed.
    private static func decode<T: Decodable>(_ type: T.Type, _ value: JSON, parent: Path?, key: (any CodingKey)?) throws -> T {
        func path() -> Path? { key.map { Path(parent: parent, key: $0) } ?? parent }
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch(T.self, value, path()) }
            return unsafeBitCast(text, to: T.self)
        }
        if T.self == Bool.self {
            guard case .bool(let flag) = value else { throw mismatch(T.self, value, path()) }
            return unsafeBitCast(flag, to: T.self)
        }
        if T.self == Double.self || T.self == Float.self {
            let number: Double
            switch value {
            case .int(let integer): number = Double(integer)
            case .number(let double): number = double
            default: throw mismatch(T.self, value, path())
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
            default: throw mismatch(T.self, value, path())
            }
            guard let converted else {
                throw DecodingError.dataCorrupted(.init(codingPath: Path.keys(path()), debugDescription: "\(value) is not a \(T.self)"))
            }
            return converted as! T
        }
        return try T(from: JSONValueDecoder(value, path: path()))
    }

    /// `number` as an `Integer` when it is one exactly (the integer form when there is one).
    private static func exactly<Integer: FixedWidthInteger>(_ type: Integer.Type, _ number: Double, _ integer: Int?) -> Integer? {
        if let integer { return Integer(exactly: integer) }
        return number.isFinite ? Integer(exactly: number) : nil
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [(String, JSON)]
        fileprivate let path: Path?

        var codingPath: [any CodingKey] { Path.keys(path) }
        var allKeys: [Key] { members.compactMap { Key(stringValue: $0.0) } }

        private func member(_ key: Key) -> JSON? {
            let name = key.stringValue
            return members.first { $0.0 == name }?.1
        }

        private func required(_ key: Key) throws -> JSON {
            guard let value = member(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
            }
            return value
        }

        func contains(_ key: Key) -> Bool { member(key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try required(key) { return true }
            return false
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try JSONValueDecoder.decode(type, try required(key), parent: path, key: key)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = member(key) else { return nil }
            if case .null = value { return nil }
            return try JSONValueDecoder.decode(type, value, parent: path, key: key)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(try required(key), path: Path(parent: path, key: key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(try required(key), path: Path(parent: path, key: key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            JSONValueDecoder(.object(members), path: path)
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            JSONValueDecoder(member(key) ?? .null, path: Path(parent: path, key: key))
        }
    }

    private struct UnkeyedContainer: UnkeyedDecodingContainer {
        let items: [JSON]
        fileprivate let path: Path?
        var currentIndex = 0

        fileprivate init(items: [JSON], path: Path?) {
            self.items = items
            self.path = path
        }

        var codingPath: [any CodingKey] { Path.keys(path) }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        private mutating func next<T>(_ type: T.Type) throws -> (JSON, Index) {
            let index = Index(currentIndex)
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [index], debugDescription: "unkeyed container is at end"))
            }
            currentIndex += 1
            return (items[index.intValue!], index)
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { return false }
            if case .null = items[currentIndex] {
                currentIndex += 1
                return true
            }
            return false
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, index) = try next(type)
            return try JSONValueDecoder.decode(type, value, parent: path, key: index)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (value, index) = try next([String: Any].self)
            return try JSONValueDecoder(value, path: Path(parent: path, key: index)).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (value, index) = try next([Any].self)
            return try JSONValueDecoder(value, path: Path(parent: path, key: index)).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            let (value, index) = try next(Any.self)
            return JSONValueDecoder(value, path: Path(parent: path, key: index))
        }
    }

    private struct SingleValue: SingleValueDecodingContainer {
        let value: JSON
        fileprivate let path: Path?

        var codingPath: [any CodingKey] { Path.keys(path) }

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONValueDecoder.decode(type, value, parent: path, key: nil)
        }
    }
}
