import OutboundConfig

/// The list endpoints whose responses an export holds, one file each, named after the API path
/// (SPEC §9). A long list comes as pages: `NAME.json` is page 1, `NAME.2.json` page 2, …
public enum WebexResource: String, CaseIterable, Sendable {
    case multimediaProfile = "multimedia-profile"
    case site
    case team
    case user
    case userProfile = "user-profile"
    case agentProfile = "agent-profile"
    case entryPoint = "entry-point"
    case queue = "contact-service-queue"
    case auxiliaryCode = "auxiliary-code"

    /// The resource and page number a file name stands for; nil for any other name (warned
    /// about, so a misspelt `users.json` is not silently left out).
    public static func parse(fileName: String) -> (resource: WebexResource, page: Int)? {
        guard fileName.hasSuffix(".json") else { return nil }
        let stem = fileName.dropLast(".json".count)
        if let resource = WebexResource(rawValue: String(stem)) { return (resource, 1) }
        guard let dot = stem.lastIndex(of: "."), let resource = WebexResource(rawValue: String(stem[..<dot])) else { return nil }
        let digits = stem[stem.index(after: dot)...]
        // "NAME.1.json" would be a second page 1; leading zeros a second spelling of a page.
        guard let page = Int(digits), page >= 2, !digits.hasPrefix("0"), digits.allSatisfy(\.isASCII) else { return nil }
        return (resource, page)
    }

    /// The paged list endpoint `webex pull` reads this list from (SPEC §10): `v2/…`, but
    /// `v3/user-profile`, the only user-profile list Cisco publishes.
    public var listPath: String { self == .userProfile ? "v3/user-profile" : "v2/\(rawValue)" }

    public func fileName(page: Int) -> String { page == 1 ? "\(rawValue).json" : "\(rawValue).\(page).json" }

    /// The fields of this list's items the mapping reads (docs/webex.md), and the only ones
    /// its item type decodes. The report lists every other field an item carries, since the
    /// format has no place for it, and a schema problem in one is a warning, not an error:
    /// the import never uses it (SPEC §9).
    public var mappedFields: Set<String> {
        switch self {
        case .multimediaProfile:
            [
                "id", "name", "description", "telephony", "chat", "email", "social", "active", "blendingMode", "manuallyAssignable", "systemDefault",
                "blendingModeEnabled",
            ]
        case .site: ["id", "name", "active", "multimediaProfileId"]
        case .team: ["id", "name", "active", "siteId", "multiMediaProfileId", "userIds"]
        case .user:
            [
                "id", "firstName", "lastName", "email", "active", "contactCenterEnabled", "siteId", "teamIds", "agentProfileId",
                "multimediaProfileId", "userProfileId", "userProfileType",
            ]
        case .userProfile: ["id", "profileType"]
        case .agentProfile:
            [
                "id", "name", "description", "active", "accessEntryPoint", "entryPoints", "accessWrapUpCode", "wrapUpCodes", "autoWrapUp",
                "autoWrapAfterSeconds",
            ]
        case .entryPoint: ["id", "name", "description", "entryPointType", "channelType", "socialChannelType", "active"]
        case .queue:
            [
                "id", "name", "description", "channelType", "socialChannelType", "active", "routingType", "queueRoutingType",
                "callDistributionGroups", "serviceLevelThreshold", "maxTimeInQueue",
            ]
        case .auxiliaryCode: ["id", "name", "description", "defaultCode", "active", "workTypeCode"]
        }
    }
}
