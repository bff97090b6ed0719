import OutboundConfig

/// An item of `agent-profile.json`: Cisco's `AgentProfileResponseDTO` (a desktop profile), the
/// fields the import maps: which entry points and wrap-up codes its agents may use.
public struct WebexAgentProfile: WebexItem, Hashable {
    public static let resource = WebexResource.agentProfile

    /// Required here although optional in the schema: users refer to it.
    public var id: String
    public var name: String
    public var description: String?
    public var active: Bool
    public var accessEntryPoint: WebexAccess
    /// Entry point ids, meaningful when `accessEntryPoint` is `SPECIFIC`.
    public var entryPoints: [String]?
    public var accessWrapUpCode: WebexAccess
    /// Wrap-up code ids, meaningful when `accessWrapUpCode` is `SPECIFIC`.
    public var wrapUpCodes: [String]?
    public var autoWrapUp: Bool?
    public var autoWrapAfterSeconds: Int?
}
