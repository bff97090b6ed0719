import OutboundConfig

/// A schema of Cisco's OpenAPI document, compiled from the copy embedded in the binary
/// (WebexSchemaDocument.swift): `import webex` checks every item of an export against its
/// list's item schema before reading it (SPEC §9). The keywords are the ones the document uses,
/// read as OpenAPI 3.0 reads them: `integer` is a number written without fraction or exponent,
/// `null` is no type's value (nothing is `nullable`), `$ref` stands for the schema it names, and
/// object members the schema does not describe are allowed (the report lists them).
final class WebexSchema: Sendable {
    enum ValueType: String, Sendable {
        case string, integer, number, boolean, array, object

        /// How a problem names it: "expected an integer".
        var phrase: String {
            switch self {
            case .integer, .array, .object: "an \(rawValue)"
            case .string, .number, .boolean: "a \(rawValue)"
            }
        }
    }

    /// The `format`s the document gives; others are refused when compiling, so none is ignored.
    enum Format: String, Sendable { case int32, int64, uuid }

    let type: ValueType?
    let format: Format?
    let enumeration: [String]?
    let minLength: Int?
    let maxLength: Int?
    let minimum: Double?
    let maximum: Double?
    let pattern: WebexPattern?
    let required: [String]
    /// By the members' names as UTF-8, compared byte by byte as JSON compares names (a `String`
    /// key would take `"K"` and the Kelvin sign `"\u{212A}"` for one name).
    let properties: [ArraySlice<UInt8>: WebexSchema]
    let items: WebexSchema?
    let uniqueItems: Bool

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    private init(_ json: JSON, at path: String, components: JSON, compiled: inout [String: WebexSchema]) throws {
        func invalid(_ what: String) -> Invalid { Invalid(description: "\(path): \(what)") }
        func int(_ key: String) throws -> Int? {
            guard let value = json[key] else { return nil }
            guard case .int(let number) = value else { throw invalid("\(key) is not an integer") }
            return number
        }
        func double(_ key: String) throws -> Double? {
            switch json[key] {
            case nil: nil
            case .int(let number)?: Double(number)
            case .number(let number)?: number
            default: throw invalid("\(key) is not a number")
            }
        }
        func strings(_ key: String) throws -> [String]? {
            guard let value = json[key] else { return nil }
            guard case .array(let items) = value else { throw invalid("\(key) is not a list") }
            return try items.map { item in
                guard let string = item.stringValue else { throw invalid("\(key) holds \(item.rendered()), not a string") }
                return string
            }
        }
        type = try json["type"].map { value in
            guard let name = value.stringValue, let type = ValueType(rawValue: name) else { throw invalid("type \(value.rendered())") }
            return type
        }
        format = try json["format"].map { value in
            guard let name = value.stringValue, let format = Format(rawValue: name) else { throw invalid("format \(value.rendered())") }
            return format
        }
        enumeration = try strings("enum")
        minLength = try int("minLength")
        maxLength = try int("maxLength")
        minimum = try double("minimum")
        maximum = try double("maximum")
        pattern = try json["pattern"].map { value in
            guard let source = value.stringValue else { throw invalid("pattern \(value.rendered())") }
            return try WebexPattern(source)
        }
        required = try strings("required") ?? []
        var properties: [ArraySlice<UInt8>: WebexSchema] = [:]
        if case .object(let members)? = json["properties"] {
            for (name, schema) in members {
                properties[ArraySlice(name.utf8)] = try Self.compile(
                    schema, at: "\(path).properties.\(name)", components: components, compiled: &compiled)
            }
        }
        self.properties = properties
        items = try json["items"].map { try Self.compile($0, at: "\(path).items", components: components, compiled: &compiled) }
        uniqueItems = json["uniqueItems"] == .bool(true)
    }

    /// The schema `json` describes, or the one its `$ref` names (OpenAPI 3.0 ignores a `$ref`'s
    /// siblings), compiled once however often it is named.
    private static func compile(_ json: JSON, at path: String, components: JSON, compiled: inout [String: WebexSchema]) throws -> WebexSchema {
        guard let reference = json["$ref"] else { return try WebexSchema(json, at: path, components: components, compiled: &compiled) }
        let prefix = "#/components/schemas/"
        guard let target = reference.stringValue, target.hasPrefix(prefix), let named = components[String(target.dropFirst(prefix.count))] else {
            throw Invalid(description: "\(path): $ref \(reference.rendered()) names no schema")
        }
        let name = String(target.dropFirst(prefix.count))
        if let schema = compiled[name] { return schema }
        let schema = try WebexSchema(named, at: name, components: components, compiled: &compiled)
        compiled[name] = schema
        return schema
    }

    /// Each list's item schema, compiled from the embedded document on first use.
    static func item(of resource: WebexResource) -> WebexItemSchema { itemSchemas[resource]! }

    private static let itemSchemas: [WebexResource: WebexItemSchema] = {
        do {
            return try compileDocument(webexSchemaDocument)
        } catch {
            // The document is part of the binary and a test compiles it: this is a build
            // that skipped its tests, not an input problem.
            preconditionFailure("the embedded Webex schemas do not compile: \(error)")
        }
    }()

    /// Compiles a document of WebexSchemaDocument.swift's shape: every list's item schema, and
    /// the older shapes (`olderShapes`, optional) some lists' items may come in.
    static func compileDocument(_ text: String) throws -> [WebexResource: WebexItemSchema] {
        let document = try JSON.parse(text)
        guard let lists = document["lists"], let components = document["schemas"] else { throw Invalid(description: "no lists or schemas") }
        var compiled: [String: WebexSchema] = [:]
        func named(_ name: String, at path: String) throws -> WebexSchema {
            try compile(.object([("$ref", .string("#/components/schemas/\(name)"))]), at: path, components: components, compiled: &compiled)
        }
        var items: [WebexResource: WebexItemSchema] = [:]
        for resource in WebexResource.allCases {
            guard let name = lists[resource.rawValue]?.stringValue else { throw Invalid(description: "no item schema for \(resource.rawValue)") }
            var older: WebexItemSchema.Older?
            if let shape = document["olderShapes"]?[resource.rawValue] {
                guard let member = shape["without"]?.stringValue, let schema = shape["schema"]?.stringValue else {
                    throw Invalid(description: "olderShapes.\(resource.rawValue): no member or schema")
                }
                older = .init(without: member, schema: try named(schema, at: "olderShapes.\(resource.rawValue)"))
            }
            items[resource] = WebexItemSchema(current: try named(name, at: resource.rawValue), older: older)
        }
        return items
    }
}

/// What the items of one list are checked against: the item schema of the list endpoint, and,
/// for a list whose items may come in an older shape, that shape's schema for the items without
/// the member the current shape requires (SPEC §9: a user profile without
/// `permissionAccessLevel` is an older `UserProfileDTO`, as exports saved from the older list hold).
struct WebexItemSchema: Sendable {
    struct Older: Sendable {
        /// The member only the current shape has.
        let without: String
        let schema: WebexSchema
    }

    let current: WebexSchema
    let older: Older?

    /// The schema of the item at `node`.
    func schema(of node: Int, on tape: JSONTape) -> WebexSchema {
        guard let older, tape.kind(node) == .object, tape.member(older.without, of: node) == nil else { return current }
        return older.schema
    }
}
