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
            self = .array(tape.items(of: node).map { JSON(tape, node: $0) })
        case .object:
            self = .object(tape.keys(of: node).map { (tape.string($0), JSON(tape, node: $0 + 1)) })
        }
    }
}
