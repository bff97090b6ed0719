import OutboundConfig

/// An item of `user-profile.json`: Cisco's `UserProfileDTO`, the fields the import maps. Its
/// `profileType` decides the licence type of the users holding it.
public struct WebexUserProfile: WebexItem, Hashable {
    public enum ProfileType: String, WebexEnumeration {
        case administrator = "ADMINISTRATOR"
        case administratorOnly = "ADMINISTRATOR_ONLY"
        case supervisor = "SUPERVISOR"
        case premiumAgent = "PREMIUM_AGENT"
        case standardAgent = "STANDARD_AGENT"
        case analyzerAdministrator = "ANALYZER_ADMINISTRATOR"
        case analyzerSupervisor = "ANALYZER_SUPERVISOR"
        case analyzerUser = "ANALYZER_USER"
    }

    /// Required here although optional in the schema: users refer to it.
    public var id: String
    public var name: String
    public var profileType: ProfileType
    public var active: Bool
}
