/// Decodes `Decodable` values from a parsed `JSON` value, throwing the `DecodingError`s
/// Foundation's `JSONDecoder` throws (with the coding path), so problems read the same.
/// It exists for speed: Foundation's decoder builds a member table for every object, and
/// decoding a 50,000-user export through it cost twice parsing it with `JSON.parse` and
/// reading members off the parsed objects, which are small enough to search in order.
struct JSONValueDecoder: Decoder {
    let value: JSON
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSON, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw Self.mismatch([Any].self, value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(value: value, codingPath: codingPath)
    }

    static func mismatch(_ type: Any.Type, _ value: JSON, _ path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "found null"))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "found \(value)"))
    }

    /// `value` as a `T`: primitives read off the value, with the errors JSONDecoder throws
    /// (a wrong type, null, an integer out of range); other types decode themselves.
    static func decode<T: Decodable>(_ type: T.Type, _ value: JSON, _ path: [any CodingKey]) throws -> T {
        let integer = T.self as? any FixedWidthInteger.Type
        guard integer != nil || T.self == String.self || T.self == Bool.self || T.self == Double.self || T.self == Float.self else {
            return try T(from: JSONValueDecoder(value, codingPath: path))
        }
        switch value {
        case .string(let text) where T.self == String.self: return text as! T
        case .bool(let flag) where T.self == Bool.self: return flag as! T
        case .int(let number):
            if let integer {
                guard let converted = exactly(integer, Double(exactly: number) ?? .nan, number) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(number) does not fit in \(T.self)"))
                }
                return converted as! T
            }
            if T.self == Double.self { return Double(number) as! T }
            if T.self == Float.self { return Float(number) as! T }
        case .number(let number):
            if T.self == Double.self { return number as! T }
            if T.self == Float.self { return Float(number) as! T }
            if let integer, let converted = exactly(integer, number, nil) { return converted as! T }
        default: break
        }
        throw mismatch(T.self, value, path)
    }

    /// `number` as an `Integer` when it is one exactly (the integer form when there is one).
    private static func exactly<Integer: FixedWidthInteger>(_ type: Integer.Type, _ number: Double, _ integer: Int?) -> Integer? {
        if let integer { return Integer(exactly: integer) }
        return number.isFinite ? Integer(exactly: number) : nil
    }

    private struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue!)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [(String, JSON)]
        let codingPath: [any CodingKey]

        var allKeys: [Key] { members.compactMap { Key(stringValue: $0.0) } }

        private func member(_ key: Key) -> JSON? {
            members.first { $0.0 == key.stringValue }?.1
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
            try JSONValueDecoder.decode(type, try required(key), codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(try required(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(try required(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            JSONValueDecoder(.object(members), codingPath: codingPath)
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            JSONValueDecoder(member(key) ?? .null, codingPath: codingPath + [key])
        }
    }

    private struct UnkeyedContainer: UnkeyedDecodingContainer {
        let items: [JSON]
        let codingPath: [any CodingKey]
        var currentIndex = 0

        init(items: [JSON], codingPath: [any CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        private mutating func next<T>(_ type: T.Type) throws -> (JSON, [any CodingKey]) {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [Index(currentIndex)], debugDescription: "unkeyed container is at end"))
            }
            defer { currentIndex += 1 }
            return (items[currentIndex], codingPath + [Index(currentIndex)])
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
            let (value, path) = try next(type)
            return try JSONValueDecoder.decode(type, value, path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (value, path) = try next([String: Any].self)
            return try JSONValueDecoder(value, codingPath: path).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (value, path) = try next([Any].self)
            return try JSONValueDecoder(value, codingPath: path).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            let (value, path) = try next(Any.self)
            return JSONValueDecoder(value, codingPath: path)
        }
    }

    private struct SingleValue: SingleValueDecodingContainer {
        let value: JSON
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONValueDecoder.decode(type, value, codingPath)
        }
    }
}
