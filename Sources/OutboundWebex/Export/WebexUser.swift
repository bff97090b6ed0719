import OutboundConfig

/// An item of `user.json` (and its pages): Cisco's `UserResponseDTO`, the fields the import maps.
/// The schema requires none of them; only `id` is required here, since teams and queues refer to it.
/// A class, unlike the other items: an export holds tens of thousands, and copying a dozen
/// strings with every move of one was a tenth of a 50,000-user import.
public final class WebexUser: WebexItem {
    public static let resource = WebexResource.user

    public let id: String
    public let firstName: String?
    public let lastName: String?
    public let email: String?
    public let active: Bool?
    /// `false`: a Webex user who is not a contact-center agent (reported, not imported).
    public let contactCenterEnabled: Bool?
    public let siteId: String?
    public let teamIds: [String]?
    public let agentProfileId: String?
    public let multimediaProfileId: String?
    public let userProfileId: String?
    public let userProfileType: String?

    /// What the user's id is made from (SPEC §9): the local part of the email, which is what
    /// the people in a directory are told apart by; without an email, the person's name.
    public var idSource: String {
        if let email, let at = email.utf8.lastIndex(of: UInt8(ascii: "@")), at != email.startIndex {
            return String(email[..<at])
        }
        return [firstName, lastName].compactMap(\.self).joined(separator: " ")
    }
}
