/// What every section's entry has: an id and the location of its key.
public protocol ConfigurationEntity: Sendable {
    var id: String { get }
    var location: SourceLocation { get }
}

/// Everything the core does "per section" that is not decoding, in one conformance per entity
/// type: where its entries live in a `Configuration`, its canonical text, and the nodes the
/// gate reads for `EntitySources`. Lookups, merging, the canonical form and the kept sources
/// are written once over this protocol, so a new section is a case of `Section`, a line of
/// `Section.entityType`, a conformance below and its decoder.
protocol SectionEntity: ConfigurationEntity {
    static var entries: WritableKeyPath<Configuration, [String: Self]> { get }
    /// The entity's canonical JSON text (see `CanonicalForm`).
    var canonicalText: String { get }
    /// Records the places of the fields the gate reads; the entity's own place is already there.
    func recordFieldSources(_ writer: inout SourcesWriter)
}

extension SectionEntity {
    func recordFieldSources(_ writer: inout SourcesWriter) {}
}

extension Section {
    /// The section's entity type: the one table from a section to its Swift type.
    var entityType: any SectionEntity.Type {
        switch self {
        case .licences: Licence.self
        case .multimediaProfiles: MultimediaProfile.self
        case .sites: Site.self
        case .teams: Team.self
        case .desktopProfiles: DesktopProfile.self
        case .entryPoints: EntryPoint.self
        case .queues: Queue.self
        case .wrapUpReasons: WrapUpReason.self
        case .agents: Agent.self
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
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}

extension Team: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Team]> { \.teams }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}

extension DesktopProfile: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: DesktopProfile]> { \.desktopProfiles }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("outboundEntryPoints", outboundEntryPoints.location)
    }
}

extension EntryPoint: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: EntryPoint]> { \.entryPoints }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("outbound", outbound.location)
    }
}

extension Queue: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Queue]> { \.queues }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
}

extension WrapUpReason: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: WrapUpReason]> { \.wrapUpReasons }
    var canonicalText: String { CanonicalForm.json(self).rendered() }
}

extension Agent: SectionEntity {
    static var entries: WritableKeyPath<Configuration, [String: Agent]> { \.agents }
    var canonicalText: String { CanonicalForm.render(self) }
    func recordFieldSources(_ writer: inout SourcesWriter) {
        writer.field("active", active.location)
        writer.field("multimediaProfile", multimediaProfile?.location)
    }
}
