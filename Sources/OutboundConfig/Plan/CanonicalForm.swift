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

        /// Tenant first, then sections in the format's order, then ids in byte order.
        public static func < (lhs: Key, rhs: Key) -> Bool {
            lhs.rank != rhs.rank ? lhs.rank < rhs.rank : ByteOrder.precedes(lhs.id, rhs.id)
        }

        public static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.rank == rhs.rank && lhs.id == rhs.id
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rank)
            hasher.combine(id)
        }
    }

    /// What the document is written from: an entity, or a row holding one.
    private protocol HoldsEntity {
        var entity: Entity { get }
    }

    /// One entity's canonical text under its key.
    public struct Entity: Sendable, Equatable, HoldsEntity {
        public let key: Key
        public let text: String

        public init(key: Key, text: String) {
            self.key = key
            self.text = text
        }

        var entity: Entity { self }
    }

    /// An entity as a store keeps it: its canonical text, the FNV-1a hash stores compare
    /// first, and its `EntitySources` text ("" when the configuration did not come from
    /// files) with that text's hash.
    public struct Row: Sendable, HoldsEntity {
        public let entity: Entity
        public let hash: Int64
        public let sources: String
        public let sourcesHash: Int64

        init(_ entity: Entity, sources: String) {
            self.entity = entity
            hash = Int64(bitPattern: FNV1a.hash(entity.text))
            self.sources = sources
            sourcesHash = sources.isEmpty ? 0 : Int64(bitPattern: FNV1a.hash(sources))
        }
    }

    /// Every entity of `configuration` as compact canonical JSON text, in key order: what the
    /// store keeps and plans compare. Being in order already, the entities merge with the
    /// store's rows and make the document without a lookup.
    public static func sortedEntities(_ configuration: Configuration) -> [Entity] {
        sortedRows(configuration, sourceNames: nil).map { $0.entity }
    }

    /// The same entities as rows, each with its hash and, when `sourceNames` (file names by
    /// index) are given, its `EntitySources` text. Agents are sorted, then rendered on all
    /// cores straight into their place in the one array: the JSON, the sources and both
    /// hashes of an entity in one pass while its bytes are in the cache. Gathering rows into
    /// arrays and then joining them cost a retain and a release per string, in a one-agent
    /// apply as much as the hashes.
    public static func sortedRows(_ configuration: Configuration, sourceNames: [String]?) -> [Row] {
        let tenant = configuration.tenant.map { tenant in
            Row(
                Entity(key: .tenant, text: json(tenant).rendered()),
                sources: sourceNames.flatMap { EntitySources.text(of: .tenant, in: configuration, names: $0) } ?? "")
        }
        let count = Section.allCases.reduce(tenant == nil ? 0 : 1) { $0 + configuration.count(of: $1) }
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let tenant {
                buffer.initializeElement(at: 0, to: tenant)
                initialized = 1
            }
            for section in Section.allCases {
                let end = initialized + configuration.count(of: section)
                section.visit(
                    RenderedSection(
                        key: Key(kind: section.rawValue, id: ""), configuration: configuration, sourceNames: sourceNames,
                        output: UnsafeMutableBufferPointer(rebasing: buffer[initialized..<end])))
                initialized = end
            }
        }
    }

    /// Renders one section's rows in id order into `output`, on all cores when there are many
    /// (agents).
    private struct RenderedSection: SectionVisitor {
        /// A key of the section, so each entity's key is made without working out its rank.
        let key: Key
        let configuration: Configuration
        let sourceNames: [String]?
        let output: UnsafeMutableBufferPointer<Row>

        func visit<Value: SectionEntity>(_ type: Value.Type) {
            // The (id, entity) pairs are sorted, not the entities by `id`: that would read two
            // entities per comparison, at random.
            let sorted = ByteOrder.sortedByKey(configuration[keyPath: Value.entries])
            ParallelMap.initialize(output, mapping: sorted) { [key, sourceNames] _, id, value in
                Row(
                    Entity(key: Key(kindOf: key, id: id), text: value.canonicalText),
                    sources: sourceNames.map { EntitySources.text(of: value, names: $0) } ?? "")
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
        write(sorted, sorted.indices, into: &text)
        return text
    }

    /// Where the document from rows in key order is cut into pieces: after a row whose hash,
    /// mixed by a Fibonacci multiply, has its top 11 bits clear (every 2,048 rows on average,
    /// some 400 KB of agents; FNV's own low bits barely vary between similar texts). A cut
    /// depends only on the row it follows, so one changed entity changes one piece and no
    /// other: a store that kept the previous snapshot's deflated pieces deflates that one
    /// only (`SnapshotCompression`).
    static func pieceRanges(of rows: [Row]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in rows.indices where (UInt64(bitPattern: rows[index].hash) &* 0x9E37_79B9_7F4A_7C15) >> 53 == 0 || index == rows.count - 1 {
            ranges.append(start..<(index + 1))
            start = index + 1
        }
        return ranges.isEmpty ? [0..<0] : ranges
    }

    /// The document's bytes for `range` of `rows` (`pieceRanges`), opening and closing
    /// included where the range starts or ends the document.
    static func pieceBytes(of rows: [Row], _ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        write(rows, range, into: &bytes)
        return bytes
    }

    /// The section of the entity before `index` (nil at the start or after the tenant).
    private static func sectionBefore<Item: HoldsEntity>(_ index: Int, in sorted: [Item]) -> String? {
        index > 0 && sorted[index - 1].entity.key != .tenant ? sorted[index - 1].entity.key.kind : nil
    }

    /// Writes the document's bytes for `range` of `sorted`: the opening with the first item,
    /// the closing with the last. Items are read where they lie: binding each entity (`for
    /// entity in sorted`) retained and released its three strings, 50,000 times in a snapshot.
    private static func write<Item: HoldsEntity>(_ sorted: [Item], _ range: Range<Int>, into text: inout [UInt8]) {
        var capacity = 64
        for index in range { capacity += sorted[index].entity.text.utf8.count + sorted[index].entity.key.id.utf8.count + 4 }
        text.reserveCapacity(text.count + capacity)
        if range.lowerBound == 0 { text += #"{"version":1"#.utf8 }
        var section = sectionBefore(range.lowerBound, in: sorted)
        for index in range {
            if sorted[index].entity.key == .tenant {
                text += #","tenant":"#.utf8
                text += sorted[index].entity.text.utf8
                continue
            }
            if section != sorted[index].entity.key.kind {
                text += (section == nil ? "," : "},").utf8
                section = sorted[index].entity.key.kind
                JSON.escape(section!, into: &text)
                text += ":{".utf8
            } else {
                text.append(UInt8(ascii: ","))
            }
            JSON.escape(sorted[index].entity.key.id, into: &text)
            text.append(UInt8(ascii: ":"))
            text += sorted[index].entity.text.utf8
        }
        guard range.upperBound == sorted.count else { return }
        if sectionBefore(sorted.count, in: sorted) != nil { text.append(UInt8(ascii: "}")) }
        text.append(UInt8(ascii: "}"))
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
