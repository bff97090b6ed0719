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

    /// Every id defined per section with the location of its key, including entries that
    /// failed to decode: a reference to a broken entry is not reported a second time.
    public var definedIds: [Section: [String: SourceLocation]] = [:]

    public init() {}

    /// Is `id` defined in `section` (for profiles, the built-in one counts)?
    public func defines(_ id: String, in section: Section) -> Bool {
        if section == .multimediaProfiles, id == MultimediaProfile.defaultTelephonyId { return true }
        return definedIds[section]?[id] != nil
    }

    mutating func reserveCapacity(_ additional: Int, in section: Section) {
        switch section {
        case .licences: licences.reserveCapacity(licences.count + additional)
        case .multimediaProfiles: multimediaProfiles.reserveCapacity(multimediaProfiles.count + additional)
        case .sites: sites.reserveCapacity(sites.count + additional)
        case .teams: teams.reserveCapacity(teams.count + additional)
        case .desktopProfiles: desktopProfiles.reserveCapacity(desktopProfiles.count + additional)
        case .entryPoints: entryPoints.reserveCapacity(entryPoints.count + additional)
        case .queues: queues.reserveCapacity(queues.count + additional)
        case .wrapUpReasons: wrapUpReasons.reserveCapacity(wrapUpReasons.count + additional)
        case .agents: agents.reserveCapacity(agents.count + additional)
        }
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
