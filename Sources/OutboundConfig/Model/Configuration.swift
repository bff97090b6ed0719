/// A whole tenant's outbound configuration, merged from all its files. Sections map ids to
/// entities; iterate with the `sorted…` helpers for deterministic output.
public struct Configuration: Sendable {
    public var tenant: Tenant?
    public var licences: [String: Licence] = [:]
    public var multimediaProfiles: [String: MultimediaProfile] = [:]
    public var sites: [String: Site] = [:]
    public var teams: [String: Team] = [:]
    public var desktopProfiles: [String: DesktopProfile] = [:]
    public var entryPoints: [String: EntryPoint] = [:]
    public var queues: [String: Queue] = [:]
    public var wrapUpReasons: [String: WrapUpReason] = [:]
    public var agents: [String: Agent] = [:]

    /// Ids of entries that were defined but could not be decoded (a required field missing or
    /// invalid), with their locations: a reference to a broken entry is not reported again.
    public var brokenIds: [Section: [String: SourceLocation]] = [:]
    /// The references those entries make in the fields that did decode, so that validation
    /// reports an unknown one whatever else is wrong with the entry.
    public var brokenReferences: [Reference] = []

    public init() {}

    /// Is `id` defined in `section` (for profiles, the built-in one counts)?
    public func defines(_ id: String, in section: Section) -> Bool {
        if section == .multimediaProfiles, id == MultimediaProfile.defaultTelephonyId { return true }
        return section.visit(DecodedLocation(id: id, configuration: self)) != nil || (!brokenIds.isEmpty && brokenIds[section]?[id] != nil)
    }

    /// Where `id` is defined in `section`, decoded or broken.
    public func location(of id: String, in section: Section) -> SourceLocation? {
        if let decoded = section.visit(DecodedLocation(id: id, configuration: self)) { return decoded }
        return brokenIds.isEmpty ? nil : brokenIds[section]?[id]
    }

    /// Every id defined in `section`, decoded or broken.
    public func ids(in section: Section) -> [String] {
        section.visit(DecodedIds(configuration: self)) + (brokenIds[section].map { Array($0.keys) } ?? [])
    }

    private struct DecodedLocation: SectionVisitor {
        let id: String
        let configuration: Configuration
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> SourceLocation? {
            configuration[keyPath: Entity.entries][id]?.location
        }
    }

    /// How many entities of `section` were decoded.
    func count(of section: Section) -> Int {
        section.visit(DecodedCount(configuration: self))
    }

    private struct DecodedCount: SectionVisitor {
        let configuration: Configuration
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> Int {
            configuration[keyPath: Entity.entries].count
        }
    }

    private struct DecodedIds: SectionVisitor {
        let configuration: Configuration
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> [String] {
            Array(configuration[keyPath: Entity.entries].keys)
        }
    }

    /// The agents in the order their objects lie in memory, which is about the order they were
    /// decoded in. Whole-tenant passes (the rules, the readiness warnings) read every agent: in
    /// dictionary order nearly each one is a cache miss (50,000 agents' references: 39 ms), in
    /// memory order the reads stream (15 ms), and sorting the pointers reads no agent (5 ms).
    public func agentsInMemoryOrder() -> [Agent] {
        agents.values.sorted { ObjectIdentifier($0) < ObjectIdentifier($1) }
    }

    /// The agents sorted by id. Sorting the dictionary's (id, agent) pairs compares ids held in
    /// the pairs; sorting the agents by `id` would read two agents per comparison, at random.
    public func agentsById() -> [Agent] {
        agents.sorted { $0.key < $1.key }.map(\.value)
    }

    /// A profile by id, including the built-in `default-telephony`.
    public func multimediaProfile(_ id: String) -> MultimediaProfile? {
        id == MultimediaProfile.defaultTelephonyId ? .defaultTelephony : multimediaProfiles[id]
    }
}

extension MultimediaProfile {
    public static let defaultTelephonyId = "default-telephony"

    /// Every site starts with this profile in Webex: blended, voice 1, nothing digital.
    public static let defaultTelephony = MultimediaProfile(
        id: defaultTelephonyId, location: .builtIn, description: nil,
        blending: Located(.blended, at: .builtIn), voice: Located(1, at: .builtIn), chat: nil,
        email: nil, social: nil)
}

extension SourceLocation {
    /// Where built-in definitions live; reporters show it as "built-in".
    public static let builtIn = SourceLocation(file: "<built-in>", line: 0, column: 0)

    public var isBuiltIn: Bool { self == .builtIn }
}
