/// An item of `user.json` (and its pages): Cisco's `UserResponseDTO`, the fields the import maps.
/// The schema requires none of them; only `id` is required here, since teams and queues refer to it.
public struct WebexUser: WebexItem, Hashable {
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var active: Bool?
    /// `false`: a Webex user who is not a contact-center agent (reported, not imported).
    public var contactCenterEnabled: Bool?
    public var siteId: String?
    public var teamIds: [String]?
    public var agentProfileId: String?
    public var multimediaProfileId: String?
    public var userProfileId: String?
    public var userProfileType: String?

    /// What the user's id is made from (SPEC §9): the local part of the email, which is what
    /// the people in a directory are told apart by; without an email, the person's name.
    public var idSource: String {
        if let email, let at = email.lastIndex(of: "@"), at != email.startIndex {
            return String(email[..<at])
        }
        return [firstName, lastName].compactMap(\.self).joined(separator: " ")
    }
}
