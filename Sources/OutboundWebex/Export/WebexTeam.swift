import OutboundConfig

/// An item of `team.json`: Cisco's `TeamResponseDTO`, the fields the import maps. The schema
/// requires none of them; only `id` is required here, since users and queues refer to it.
public struct WebexTeam: WebexItem, Hashable {
    public static let resource = WebexResource.team

    public var id: String
    public var name: String?
    public var active: Bool?
    public var siteId: String?
    /// Cisco's spelling, unlike `multimediaProfileId` on sites and users.
    public var multiMediaProfileId: String?
    /// Members as the team sees them; SPEC §9 takes users' `teamIds` and reports disagreements.
    public var userIds: [String]?
}
