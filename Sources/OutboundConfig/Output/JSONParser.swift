/// Reads the JSON that `JSON.rendered()` writes (the store's entity rows and saved plans),
/// keeping object member order, and the JSON bodies `serve` is sent. Whole numbers that fit
/// are `.int`; other numbers `.number`. The text is checked by `JSONTape`, the one JSON
/// grammar of the project.
extension JSON {
    public typealias ParseError = JSONTape.ParseError

    public static func parse(_ text: String) throws -> JSON {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws -> JSON {
        let tape = try JSONTape(bytes: bytes)
        return JSON(tape, node: tape.root)
    }

    /// The value at `node` of `tape`, as a tree.
    public init(_ tape: JSONTape, node: Int) {
        switch tape.kind(node) {
        case .null: self = .null
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        case .number: self = tape.number(node)
        case .string, .escapedString: self = .string(tape.string(node))
        case .array:
            var items: [JSON] = []
            items.reserveCapacity(tape.count(node))
            var child = tape.firstChild(node)
            for _ in 0..<tape.count(node) {
                items.append(JSON(tape, node: child))
                child = tape.after(child)
            }
            self = .array(items)
        case .object:
            var members: [(String, JSON)] = []
            members.reserveCapacity(tape.count(node))
            var key = tape.firstChild(node)
            for _ in 0..<tape.count(node) {
                members.append((tape.string(key), JSON(tape, node: key + 1)))
                key = tape.after(key + 1)
            }
            self = .object(members)
        }
    }
}
