import OutboundConfig

/// An item of `user-profile.json`: Cisco's `UserProfileGranularAccessDTO` of the v3 list, or the
/// older `UserProfileDTO` (SPEC §9); the import maps what both carry, `profileType`, which
/// decides the licence type of the users holding the profile.
public struct WebexUserProfile: WebexItem, Hashable {
    public static let resource = WebexResource.userProfile

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
    public var profileType: ProfileType
}
