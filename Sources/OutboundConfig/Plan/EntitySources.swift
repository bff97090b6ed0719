/// Where an entity's nodes stood in the files it was applied from — the entity itself and
/// every field the gate reads (`email.assignment`, `active`, …) — with the file named
/// relative to the path that was applied. The store keeps this with the current revision, so
/// `explain` from the store names file:line:col without the files.
public struct EntitySources: Sendable, Equatable {
    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
    }

    public var file: String
    /// By field path inside the entity; "" is the entity itself.
    public var fields: [String: Position]

    /// The node's place: the file and its field's position, nil when the field was not kept.
    public func location(of field: String) -> (file: String, line: Int, column: Int)? {
        fields[field].map { (file, $0.line, $0.column) }
    }

    /// The stored text: the file on the first line, then `field<TAB>line<TAB>column` lines.
    public var text: String {
        var text = file + "\n"
        for (field, position) in fields.sorted(by: { $0.key < $1.key }) { text += "\(field)\t\(position.line)\t\(position.column)\n" }
        return text
    }

    public init(file: String, fields: [String: Position]) {
        self.file = file
        self.fields = fields
    }

    public init?(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty else { return nil }
        file = String(first)
        lines.removeFirst()
        fields = [:]
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3, let row = Int(parts[1]), let column = Int(parts[2]) else { return nil }
            fields[String(parts[0])] = Position(line: row, column: column)
        }
    }

    /// The stored text of the entity at `key` (nil when it is not defined), written straight to bytes: an apply renders it for
    /// every entity of a 50,000-agent tenant, and building a dictionary (or even a sorted list)
    /// per entity cost as much as rendering the entities themselves.
    /// `names`: what each file is called, by its index in the process's table of file names
    /// (`fileNames(relativeTo:)`), so no entity looks its file up by text.
    public static func text(of key: CanonicalForm.Key, in configuration: Configuration, names: [String]) -> String? {
        if key == .tenant {
            guard let tenant = configuration.tenant else { return nil }
            var writer = SourcesWriter(tenant.location, names)
            writer.field("digitalChannels", tenant.digitalChannels.location)
            return writer.text
        }
        guard let section = Section(rawValue: key.kind) else { return nil }
        return section.visit(StoredText(id: key.id, configuration: configuration, names: names))
    }

    private struct StoredText: SectionVisitor {
        let id: String
        let configuration: Configuration
        let names: [String]
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> String? {
            configuration[keyPath: Entity.entries][id].map { EntitySources.text(of: $0, names: names) }
        }
    }

    /// An entity's text, for callers that hold the entity (`CanonicalForm.sortedEntities`): a
    /// lookup by id in 50,000 agents cost more than writing the text.
    static func text(of entity: some SectionEntity, names: [String]) -> String {
        var writer = SourcesWriter(entity.location, names)
        entity.recordFieldSources(&writer)
        return writer.text
    }

    /// Every file of this process named as in sources, by file index (see `text(of:in:names:)`).
    public static func fileNames(relativeTo paths: [String]) -> [String] {
        FileNames.shared.all.map { relativeName(of: $0, among: paths) }
    }

    /// How files are named in sources: relative to the path they were found under (a directory
    /// given on the command line), or by their own name when given as a file.
    public static func relativeName(of file: String, among paths: [String]) -> String {
        for path in paths {
            if path == file { return String(file.split(separator: "/").last ?? Substring(file)) }
            let directory = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
            if directory.isEmpty, !file.hasPrefix("/") { return file }
            if !directory.isEmpty, file.hasPrefix(directory) { return String(file.dropFirst(directory.count)) }
        }
        return file
    }
}

/// Writes `EntitySources.text`: the file, the entity's own place, then one line per field of
/// the same file, with numbers written digit by digit into one buffer.
struct SourcesWriter {
    private var bytes: [UInt8] = []
    private let file: Int32

    init(_ entity: SourceLocation, _ names: [String]) {
        file = entity.fileIndexValue
        bytes.reserveCapacity(96)
        let index = Int(file)
        bytes += (index < names.count ? names[index] : entity.file).utf8
        bytes.append(0x0A)
        place(entity)
    }

    mutating func field(_ name: StaticString, _ location: SourceLocation?) {
        guard let location, !location.isBuiltIn, location.fileIndexValue == file else { return }
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        place(location)
    }

    private mutating func place(_ location: SourceLocation) {
        bytes.append(0x09)
        decimal(location.line)
        bytes.append(0x09)
        decimal(location.column)
        bytes.append(0x0A)
    }

    /// Digits from the last, then turned around: one division by a constant per digit.
    private mutating func decimal(_ value: Int) {
        var value = max(0, value)
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
            value /= 10
        } while value > 0
        bytes[start...].reverse()
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
