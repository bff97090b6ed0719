import OutboundConfig

/// An item of `entry-point.json`: Cisco's `EntryPointDTO`, the fields the import maps.
/// `socialChannelType` is required on every entry point by the schema but means something only
/// when `channelType` is `SOCIAL_CHANNEL` (SPEC §9): an `EMAIL` entry point carrying
/// `MESSAGEBIRD` is still email.
public struct WebexEntryPoint: WebexItem, Hashable {
    public static let resource = WebexResource.entryPoint

    public enum ChannelType: String, WebexEnumeration {
        case telephony = "TELEPHONY"
        case email = "EMAIL"
        case fax = "FAX"
        case chat = "CHAT"
        case video = "VIDEO"
        case others = "OTHERS"
        case socialChannel = "SOCIAL_CHANNEL"
    }

    public enum EntryPointType: String, WebexEnumeration {
        case inbound = "INBOUND"
        case outbound = "OUTBOUND"
    }

    /// Required here although optional in the schema: desktop profiles refer to it.
    public var id: String
    public var name: String
    public var description: String?
    public var entryPointType: EntryPointType
    public var channelType: ChannelType
    public var socialChannelType: WebexSocialChannel
    public var active: Bool
}
