import OutboundConfig

/// An item of `multimedia-profile.json`: Cisco's `MultimediaProfileDTO`, the fields the import
/// maps. The counts are pushed ("Contacts automatically pushed") slots; `manuallyAssignable`
/// holds the slots an agent picks work into by hand.
public struct WebexMultimediaProfile: WebexItem, Hashable {
    public static let resource = WebexResource.multimediaProfile

    /// Slot counts per medium, as `MultimediaProfileChannelDTO` spells them.
    public struct Slots: Decodable, Hashable, Sendable {
        public var telephony: Int
        public var chat: Int
        public var email: Int
        public var social: Int
    }

    /// Cisco's schema leaves `id` out of its required list (it is absent on create); a listed
    /// item always has one, and the import needs it to resolve references.
    public var id: String
    public var name: String
    public var description: String?
    public var telephony: Int
    public var chat: Int
    public var email: Int
    public var social: Int
    public var active: Bool
    /// A free string in the schema; the tenants seen use `BLENDED`, `BLENDED_REALTIME`, `EXCLUSIVE`.
    /// (`blendingModeEnabled` follows it and is not read.)
    public var blendingMode: String
    public var manuallyAssignable: Slots?
    /// The tenant's default profile: `webex push` gives it to a site the files give none.
    public var systemDefault: Bool?
}
