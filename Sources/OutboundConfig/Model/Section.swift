/// The top-level sections whose entries are keyed by id. The order is the order of the file
/// format's documentation and of every listing (plan, export).
public enum Section: String, CaseIterable, Hashable, Sendable, Comparable {
    case licences, multimediaProfiles, sites, teams, desktopProfiles, entryPoints, queues, wrapUpReasons, agents

    /// The singular noun, for messages ("unknown team 'x'").
    public var noun: String {
        switch self {
        case .licences: "licence"
        case .multimediaProfiles: "multimedia profile"
        case .sites: "site"
        case .teams: "team"
        case .desktopProfiles: "desktop profile"
        case .entryPoints: "entry point"
        case .queues: "queue"
        case .wrapUpReasons: "wrap-up reason"
        case .agents: "agent"
        }
    }

    public static func < (lhs: Section, rhs: Section) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
