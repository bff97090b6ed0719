/// The meaning of a configuration without its spelling: every entity as a JSON object with
/// fields in the file format's order, defaults omitted, sets sorted, and both slot forms
/// folded into one (`social: 2` for auto-pushed, `{assignment: manual, slots: n}` otherwise).
/// Two configurations that mean the same have the same canonical form, so plans compare this,
/// the store keeps it, and `export` writes it back as YAML.
public enum CanonicalForm {
    /// Bumped whenever the rendering changes, so stores know their rows were rendered alike.
    public static let version = 1

    /// A section's entity, or the tenant (kind `tenant`, id `tenant`).
    public struct Key: Hashable, Sendable, Comparable {
        public let kind: String
        public let id: String
        /// The kind's place: tenant first, then sections in the format's order.
        private let rank: Int8

        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
            self.rank = kind == "tenant" ? -1 : Int8(Section(rawValue: kind).flatMap { Section.allCases.firstIndex(of: $0) } ?? 99)
        }

        /// A key of the same kind as `other`, without working out the kind's rank again: a
        /// store reads 50,000 keys of one kind in a row.
        public init(kindOf other: Key, id: String) {
            kind = other.kind
            rank = other.rank
            self.id = id
        }

        public static let tenant = Key(kind: "tenant", id: "tenant")

        /// Tenant first, then sections in the format's order, then ids.
        public static func < (lhs: Key, rhs: Key) -> Bool {
            lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.id < rhs.id
        }

        public static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.rank == rhs.rank && lhs.id == rhs.id
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rank)
            hasher.combine(id)
        }
    }

    /// One entity's canonical text under its key.
    public struct Entity: Sendable, Equatable {
        public let key: Key
        public let text: String

        public init(key: Key, text: String) {
            self.key = key
            self.text = text
        }
    }

    /// Every entity of `configuration` as compact canonical JSON text, in key order: what the
    /// store keeps and plans compare. Agents are sorted, then rendered on all cores in place;
    /// each tree is freed as soon as it is written. Being in order already, the entities
    /// merge with the store's rows and make the document without a lookup.
    public static func sortedEntities(_ configuration: Configuration) -> [Entity] {
        sortedEntities(configuration, sourceNames: nil).entities
    }

    /// The same, with each entity's `EntitySources` text at the same index when `sourceNames`
    /// (file names by index) are given: agents' are written in the same pass as their JSON.
    public static func sortedEntities(_ configuration: Configuration, sourceNames: [String]?) -> (entities: [Entity], sources: [String]) {
        var entities: [Entity] = []
        var sources: [String] = []
        entities.reserveCapacity(configuration.agents.count + 64)
        if let tenant = configuration.tenant {
            entities.append(Entity(key: .tenant, text: json(tenant).rendered()))
            if let sourceNames { sources.append(EntitySources.text(of: .tenant, in: configuration, names: sourceNames) ?? "") }
        }
        for section in Section.allCases {
            let rendered = section.visit(RenderedSection(section: section, configuration: configuration, sourceNames: sourceNames))
            entities += rendered.map(\.0)
            if sourceNames != nil { sources += rendered.map(\.1) }
        }
        return (entities, sources)
    }

    /// One section's entities in id order, rendered on all cores when there are many (agents).
    /// The (id, entity) pairs are sorted, not the entities by `id`: that would read two
    /// entities per comparison, at random.
    private struct RenderedSection: SectionVisitor {
        let section: Section
        let configuration: Configuration
        let sourceNames: [String]?

        func visit<Value: SectionEntity>(_ type: Value.Type) -> [(Entity, String)] {
            let values = configuration[keyPath: Value.entries].sorted { $0.key < $1.key }.map(\.value)
            return ParallelMap.map(values) { [section, sourceNames] value in
                (Entity(key: Key(kind: section.rawValue, id: value.id), text: value.canonicalText),
                 sourceNames.map { EntitySources.text(of: value, names: $0) } ?? "")
            }
        }
    }

    /// The same entities by key, for comparing two configurations without a store.
    public static func renderedEntities(_ configuration: Configuration) -> [Key: String] {
        Dictionary(uniqueKeysWithValues: sortedEntities(configuration).map { ($0.key, $0.text) })
    }

    /// The whole configuration as one compact JSON document, `{"version":1,"tenant":…,
    /// "licences":{…},…}`, built from rendered entities. It is also YAML that the loader reads
    /// back: the store's snapshots, digests and rollbacks use it.
    public static func document(from rendered: [Key: String]) -> String {
        String(decoding: documentBytes(from: rendered.map { Entity(key: $0.key, text: $0.value) }.sorted { $0.key < $1.key }), as: UTF8.self)
    }

    /// The document's UTF-8 bytes from entities in key order (`sortedEntities`).
    public static func documentBytes(from sorted: [Entity]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(sorted.reduce(64) { $0 + $1.text.utf8.count + $1.key.id.utf8.count + 4 })
        text += #"{"version":1"#.utf8
        var section: String?
        for entity in sorted {
            let key = entity.key
            if key == .tenant {
                text += #","tenant":"#.utf8
                text += entity.text.utf8
                continue
            }
            if section != key.kind {
                text += (section == nil ? "," : "},").utf8
                JSON.escape(key.kind, into: &text)
                text += ":{".utf8
                section = key.kind
            } else {
                text.append(UInt8(ascii: ","))
            }
            JSON.escape(key.id, into: &text)
            text.append(UInt8(ascii: ":"))
            text += entity.text.utf8
        }
        if section != nil { text.append(UInt8(ascii: "}")) }
        text.append(UInt8(ascii: "}"))
        return text
    }

    // MARK: Entities

    static func json(_ tenant: Tenant) -> JSON {
        object([
            ("name", tenant.name.map { .string($0.value) }),
            ("digitalChannels", .string(tenant.digitalChannels.value.rawValue)),
            ("timezone", tenant.timezone.map { .string($0.value) }),
        ])
    }

    static func json(_ licence: Licence) -> JSON {
        object([
            ("type", .string(licence.type.value.rawValue)),
            ("seats", .int(licence.seats.value)),
            ("description", licence.description.map { .string($0.value) }),
            ("validFrom", licence.validFrom.map { .string($0.value.description) }),
            ("validUntil", licence.validUntil.map { .string($0.value.description) }),
            ("externalId", external(licence.externalId)),
        ])
    }

    static func json(_ profile: MultimediaProfile) -> JSON {
        object([
            ("description", profile.description.map { .string($0.value) }),
            ("blending", .string(profile.blending.value.rawValue)),
            ("voice", nonZero(profile.voice?.value)),
            ("chat", nonZero(profile.chat?.value)),
            ("email", slots(profile.email)),
            ("social", slots(profile.social)),
            ("externalId", external(profile.externalId)),
        ])
    }

    static func slots(_ slots: SlotAssignment?) -> JSON? {
        guard let slots else { return nil }
        switch slots.assignment {
        case .autoPushed: return nonZero(slots.slots)
        case .manual: return .object([("assignment", .string(slots.assignment.rawValue)), ("slots", .int(slots.slots))])
        }
    }

    static func json(_ site: Site) -> JSON {
        object([
            ("name", site.name.map { .string($0.value) }),
            ("multimediaProfile", site.multimediaProfile.map { .string($0.value) }),
            ("externalId", external(site.externalId)),
        ])
    }

    static func json(_ team: Team) -> JSON {
        object([
            ("name", team.name.map { .string($0.value) }),
            ("site", .string(team.site.value)),
            ("multimediaProfile", team.multimediaProfile.map { .string($0.value) }),
            ("externalId", external(team.externalId)),
        ])
    }

    static func json(_ desktop: DesktopProfile) -> JSON {
        object([
            ("description", desktop.description.map { .string($0.value) }),
            ("outboundEntryPoints", selection(desktop.outboundEntryPoints.value)),
            ("wrapUpReasons", selection(desktop.wrapUpReasons.value)),
            ("autoWrapUpSeconds", desktop.autoWrapUpSeconds.map { .int($0.value) }),
            ("externalId", external(desktop.externalId)),
        ])
    }

    static func json(_ entryPoint: EntryPoint) -> JSON {
        object([
            ("description", entryPoint.description.map { .string($0.value) }),
            ("channel", .string(entryPoint.channel.value.rawValue)),
            ("address", entryPoint.address.map { .string($0.value) }),
            ("outbound", entryPoint.outbound.value ? .bool(true) : nil),
            ("queue", entryPoint.queue.map { .string($0.value) }),
            ("externalId", external(entryPoint.externalId)),
        ])
    }

    static func json(_ queue: Queue) -> JSON {
        object([
            ("description", queue.description.map { .string($0.value) }),
            ("channel", .string(queue.channel.value.rawValue)),
            ("routing", queue.routing.value == .longestAvailable ? nil : .string(queue.routing.value.rawValue)),
            ("teams", ids(queue.teams)),
            ("serviceLevelSeconds", queue.serviceLevelSeconds.map { .int($0.value) }),
            ("maxTimeInQueueSeconds", queue.maxTimeInQueueSeconds.map { .int($0.value) }),
            ("wrapUpReasons", queue.wrapUpReasons.map(ids)),
            ("externalId", external(queue.externalId)),
        ])
    }

    static func json(_ reason: WrapUpReason) -> JSON {
        object([
            ("description", reason.description.map { .string($0.value) }),
            ("default", reason.isDefault.value ? .bool(true) : nil),
            ("active", reason.active.value ? nil : .bool(false)),
            ("externalId", external(reason.externalId)),
        ])
    }

    /// An agent's canonical text, written straight to bytes: agents are the one section with
    /// tens of thousands of entries, so they skip the `JSON` tree the other sections build.
    /// Same shape and key order as the others: fields in file-format order, defaults left out,
    /// team ids sorted and unique.
    static func render(_ agent: Agent) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(192)
        text.write(#"{"name":"#)
        JSON.escape(agent.name.value, into: &text)
        if let email = agent.email {
            text.write(#","email":"#)
            JSON.escape(email.value, into: &text)
        }
        text.write(#","licence":"#)
        JSON.escape(agent.licence.value, into: &text)
        text.write(#","site":"#)
        JSON.escape(agent.site.value, into: &text)
        text.write(#","teams":["#)
        for (index, team) in sortedIds(agent.teams).enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            JSON.escape(team, into: &text)
        }
        text.write(#"],"desktopProfile":"#)
        JSON.escape(agent.desktopProfile.value, into: &text)
        if let profile = agent.multimediaProfile {
            text.write(#","multimediaProfile":"#)
            JSON.escape(profile.value, into: &text)
        }
        if !agent.active.value { text.write(#","active":false"#) }
        if let externalId = agent.externalId {
            text.write(#","externalId":"#)
            JSON.escape(externalId.value, into: &text)
        }
        text.append(UInt8(ascii: "}"))
        return String(decoding: text, as: UTF8.self)
    }

    private static func object(_ members: [(String, JSON?)]) -> JSON {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }

    /// `externalId`, last in every entity: absent when not set, so stores written before it
    /// existed keep their canonical text.
    private static func external(_ id: Located<String>?) -> JSON? {
        id.map { .string($0.value) }
    }

    private static func nonZero(_ value: Int?) -> JSON? {
        guard let value, value != 0 else { return nil }
        return .int(value)
    }

    private static func ids(_ ids: [Located<String>]) -> JSON {
        .array(sortedIds(ids).map { .string($0) })
    }

    /// A list of ids as the canonical form keeps it: sorted (decoding leaves no id twice, OB117).
    private static func sortedIds(_ ids: [Located<String>]) -> [String] {
        ids.count == 1 ? [ids[0].value] : ids.map(\.value).sorted()
    }

    private static func selection(_ selection: Selection) -> JSON? {
        switch selection {
        case .all: nil
        case .only(let list): ids(list)
        }
    }
}
