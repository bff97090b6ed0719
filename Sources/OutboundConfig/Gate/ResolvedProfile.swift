/// The multimedia profile an agent works with in a team, and where it came from:
/// agent-level, else the team's, else the agent's site's, else the built-in default-telephony.
public struct ResolvedProfile: Sendable {
    public enum Origin: Sendable, Equatable {
        case agent
        case team(String)
        case site(String)
        case builtIn
    }

    public var profile: MultimediaProfile
    public var origin: Origin
    /// The `multimediaProfile:` reference that chose it (nil for the built-in fallback).
    public var reference: SourceLocation?

    /// The `multimediaProfile:` reference as a node (nil for the built-in fallback).
    public func referenceNode(agent: String) -> NodeReference? {
        switch origin {
        case .agent: NodeReference(.agents, agent, "multimediaProfile")
        case .team(let team): NodeReference(.teams, team, "multimediaProfile")
        case .site(let site): NodeReference(.sites, site, "multimediaProfile")
        case .builtIn: nil
        }
    }

    public var originDescription: String {
        switch origin {
        case .agent: "agent-level profile"
        case .team(let team): "profile of team \(team)"
        case .site(let site): "profile of site \(site)"
        case .builtIn: "built-in profile (no agent, team or site profile set)"
        }
    }

    static func resolve(agent: Agent, team: String, in configuration: Configuration) -> ResolvedProfile {
        if let reference = agent.multimediaProfile, let profile = configuration.multimediaProfile(reference.value) {
            return ResolvedProfile(profile: profile, origin: .agent, reference: reference.location)
        }
        if let reference = configuration.teams[team]?.multimediaProfile, let profile = configuration.multimediaProfile(reference.value) {
            return ResolvedProfile(profile: profile, origin: .team(team), reference: reference.location)
        }
        if let reference = configuration.sites[agent.site.value]?.multimediaProfile, let profile = configuration.multimediaProfile(reference.value) {
            return ResolvedProfile(profile: profile, origin: .site(agent.site.value), reference: reference.location)
        }
        return ResolvedProfile(profile: .defaultTelephony, origin: .builtIn, reference: nil)
    }

    /// The id of the profile `resolve` picks, by the same precedence, without copying the
    /// profile: what bulk evaluation keys its memo on. `teams` and `sites` map an id to the
    /// id of its profile when that profile exists; `profiles` are the defined ones.
    static func resolvedId(
        agent: Agent, team: String, teams: [String: String], sites: [String: String],
        profiles: [String: MultimediaProfile]
    ) -> String {
        if let id = agent.multimediaProfile?.value, id == MultimediaProfile.defaultTelephonyId || profiles[id] != nil { return id }
        return teams[team] ?? sites[agent.site.value] ?? MultimediaProfile.defaultTelephonyId
    }
}
