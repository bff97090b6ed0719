import OutboundConfig

/// An item of `auxiliary-code.json`: Cisco's `AuxiliaryCodeDTO`. Wrap-up codes become wrap-up
/// reasons; idle codes have no counterpart in the format (reported, SPEC §9).
public struct WebexAuxiliaryCode: WebexItem, Hashable {
    public static let resource = WebexResource.auxiliaryCode

    public enum WorkType: String, WebexEnumeration {
        case idleCode = "IDLE_CODE"
        case wrapUpCode = "WRAP_UP_CODE"
    }

    /// Required here although optional in the schema: desktop profiles refer to it.
    public var id: String
    public var name: String
    public var description: String?
    public var defaultCode: Bool
    public var active: Bool
    public var workTypeCode: WorkType
}
