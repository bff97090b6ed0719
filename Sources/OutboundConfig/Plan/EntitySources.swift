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

    /// The sources of the entity at `key`, its file named by `name`; nil when it is not defined.
    public static func of(_ key: CanonicalForm.Key, in configuration: Configuration, name: (String) -> String) -> EntitySources? {
        let names = FileNames.shared.all.map(name)
        return text(of: key, in: configuration, names: names).flatMap { EntitySources(text: $0) }
    }

    /// The stored text of `of(_:in:name:)`, written straight to bytes: an apply renders it for
    /// every entity of a 50,000-agent tenant, and building a dictionary per entity cost more
    /// than the whole comparison with the store.
    /// `names`: what each file is called, by its index in the process's table of file names
    /// (`fileNames(relativeTo:)`), so no entity looks its file up by text.
    public static func text(of key: CanonicalForm.Key, in configuration: Configuration, names: [String]) -> String? {
        var located: [(StaticString, SourceLocation?)] = []
        located.reserveCapacity(6)
        switch key.kind {
        case "tenant":
            guard let tenant = configuration.tenant else { return nil }
            located = [("", tenant.location), ("digitalChannels", tenant.digitalChannels.location)]
        case Section.licences.rawValue:
            guard let licence = configuration.licences[key.id] else { return nil }
            located = [("", licence.location), ("type", licence.type.location), ("validFrom", licence.validFrom?.location),
                       ("validUntil", licence.validUntil?.location)]
        case Section.multimediaProfiles.rawValue:
            guard let profile = configuration.multimediaProfiles[key.id] else { return nil }
            located = [("", profile.location), ("email", profile.email?.location), ("email.assignment", profile.email?.assignmentLocation),
                       ("social", profile.social?.location), ("social.assignment", profile.social?.assignmentLocation)]
        case Section.sites.rawValue:
            guard let site = configuration.sites[key.id] else { return nil }
            located = [("", site.location), ("multimediaProfile", site.multimediaProfile?.location)]
        case Section.teams.rawValue:
            guard let team = configuration.teams[key.id] else { return nil }
            located = [("", team.location), ("multimediaProfile", team.multimediaProfile?.location)]
        case Section.desktopProfiles.rawValue:
            guard let desktop = configuration.desktopProfiles[key.id] else { return nil }
            located = [("", desktop.location), ("outboundEntryPoints", desktop.outboundEntryPoints.location)]
        case Section.entryPoints.rawValue:
            guard let entryPoint = configuration.entryPoints[key.id] else { return nil }
            located = [("", entryPoint.location), ("outbound", entryPoint.outbound.location)]
        case Section.queues.rawValue:
            located = [("", configuration.queues[key.id]?.location)]
        case Section.wrapUpReasons.rawValue:
            located = [("", configuration.wrapUpReasons[key.id]?.location)]
        case Section.agents.rawValue:
            guard let agent = configuration.agents[key.id] else { return nil }
            located = [("", agent.location), ("active", agent.active.location), ("multimediaProfile", agent.multimediaProfile?.location)]
        default:
            return nil
        }
        guard let entity = located.first?.1, !entity.isBuiltIn else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        let index = Int(entity.fileIndexValue)
        bytes += (index < names.count ? names[index] : entity.file).utf8
        bytes.append(0x0A)
        // Fields in the order `text` sorts them, so both spellings of the same places are equal.
        for (field, location) in located.sorted(by: { $0.0.description < $1.0.description }) {
            guard let location, !location.isBuiltIn, location.fileIndexValue == entity.fileIndexValue else { continue }
            field.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(0x09)
            appendDecimal(location.line, to: &bytes)
            bytes.append(0x09)
            appendDecimal(location.column, to: &bytes)
            bytes.append(0x0A)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = max(0, value)
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes += digits.reversed()
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
