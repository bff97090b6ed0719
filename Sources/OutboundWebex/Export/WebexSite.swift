import OutboundConfig

/// An item of `site.json`: Cisco's `SiteDTO`, the fields the import maps.
public struct WebexSite: WebexItem, Hashable {
    public static let resource = WebexResource.site

    /// Required here although optional in the schema: a listed site has one, and teams and users refer to it.
    public var id: String
    public var name: String
    public var active: Bool
    public var multimediaProfileId: String
}
