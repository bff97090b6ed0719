/// What every section's entry has: an id and the location of its key.
public protocol ConfigurationEntity: Sendable {
    var id: String { get }
    var location: SourceLocation { get }
}

/// Everything the core does "per section" that is not decoding, in one conformance per entity
/// type: where its entries live in a `Configuration`, its canonical text, and the nodes the
/// gate reads for `EntitySources`. Lookups, merging, the canonical form and the kept sources
/// are written once over this protocol, so a new section is a case of `Section`, a line of
/// `Section.visit`, a conformance below and its decoder.
protocol SectionEntity: ConfigurationEntity {
    static var entries: WritableKeyPath<Configuration, [String: Self]> { get }
    /// The entity's canonical JSON text (see `CanonicalForm`).
    var canonicalText: String { get }
    /// Records the places of the fields the gate reads; the entity's own place is already there.
    func recordFieldSources(_ writer: inout SourcesWriter)
    /// The fields that name entries of other sections (see `ReferenceField`).
    static var referenceFields: [ReferenceField<Self>] { get }
}

extension SectionEntity {
    func recordFieldSources(_ writer: inout SourcesWriter) {}
    static var referenceFields: [ReferenceField<Self>] { [] }
}

/// Work done on one section's entity type (`Section.visit`). Work that must change its
/// caller returns a closure that does it, typed for the entity.
protocol SectionVisitor {
    associatedtype Result
    func visit<Entity: SectionEntity>(_ type: Entity.Type) -> Result
}

extension Section {
    /// Calls `visitor` with this section's entity type: the one table from a section to its
    /// Swift type. A switch, not an `any SectionEntity.Type`, so each call is specialised:
    /// generic code called through an existential type looked entities up and copied them
    /// through value witnesses, 25 % of a one-agent apply of 50,000 agents.
    func visit<Visitor: SectionVisitor>(_ visitor: Visitor) -> Visitor.Result {
        switch self {
        case .licences: visitor.visit(Licence.self)
        case .multimediaProfiles: visitor.visit(MultimediaProfile.self)
        case .sites: visitor.visit(Site.self)
        case .teams: visitor.visit(Team.self)
        case .desktopProfiles: visitor.visit(DesktopProfile.self)
        case .entryPoints: visitor.visit(EntryPoint.self)
        case .queues: visitor.visit(Queue.self)
        case .wrapUpReasons: visitor.visit(WrapUpReason.self)
        case .agents: visitor.visit(Agent.self)
        }
    }
}

// Field names in `recordFieldSources` are written in byte order, the order `EntitySources.text`
// sorts them in, so both spellings of the same places are equal.

extension Licence: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Licence]> { \.licences }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("type", type.location)
        writer.field("validFrom", validFrom?.location)
        writer.field("validUntil", validUntil?.location)
    }
}

extension MultimediaProfile: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: MultimediaProfile]> { \.multimediaProfiles }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("email", email?.location)
        writer.field("email.assignment", email?.assignmentLocation)
        writer.field("social", social?.location)
        writer.field("social.assignment", social?.assignmentLocation)
    }
}

extension Site: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Site]> { \.sites }
    static let referenceFields: [ReferenceField<Site>] = [.single("multimediaProfile", .multimediaProfiles) { $0.multimediaProfile }]
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}

extension Team: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Team]> { \.teams }
    static let referenceFields: [ReferenceField<Team>] = [
        .single("site", .sites) { $0.site },
        .single("multimediaProfile", .multimediaProfiles) { $0.multimediaProfile },
    ]
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}

extension DesktopProfile: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: DesktopProfile]> { \.desktopProfiles }
    static let referenceFields: [ReferenceField<DesktopProfile>] = [
        .selection("outboundEntryPoints", .entryPoints) { $0.outboundEntryPoints.value },
        .selection("wrapUpReasons", .wrapUpReasons) { $0.wrapUpReasons.value },
    ]
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("outboundEntryPoints", outboundEntryPoints.location)
    }
}

extension EntryPoint: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: EntryPoint]> { \.entryPoints }
    static let referenceFields: [ReferenceField<EntryPoint>] = [.single("queue", .queues) { $0.queue }]
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("outbound", outbound.location)
    }
}

extension Queue: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Queue]> { \.queues }
    static let referenceFields: [ReferenceField<Queue>] = [
        .list("teams", .teams) { $0.teams },
        .list("wrapUpReasons", .wrapUpReasons) { $0.wrapUpReasons },
    ]
    var canonicalText: String { CanonicalForm.json(self).rendered() }
}

extension WrapUpReason: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: WrapUpReason]> { \.wrapUpReasons }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
}

extension Agent: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Agent]> { \.agents }
    static let referenceFields: [ReferenceField<Agent>] = [
        .single("licence", .licences) { $0.licence },
        .single("site", .sites) { $0.site },
        .list("teams", .teams) { $0.teams },
        .single("desktopProfile", .desktopProfiles) { $0.desktopProfile },
        .single("multimediaProfile", .multimediaProfiles) { $0.multimediaProfile },
    ]
    var canonicalText: String { CanonicalForm.render(self) }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("active", active.location)
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}
