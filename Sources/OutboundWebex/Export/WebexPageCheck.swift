import OutboundConfig

extension WebexResource {
    /// Checks one list response (a page, a plain array or the paged envelope) as `import webex`
    /// checks its files: errors and warnings, each located at `label` (`v2/user?page=3`) and a
    /// JSON path. `webex pull` checks what the tenant sends with it, so a pull and an import
    /// of the same lists agree on what is wrong.
    public func problems(ofListResponse bytes: [UInt8], label: String) -> [WebexInputProblem] {
        let schema = WebexSchema.item(of: self)
        return switch self {
        case .multimediaProfile: WebexListFile<WebexMultimediaProfile>(file: label, bytes: bytes, schema: schema).problems
        case .site: WebexListFile<WebexSite>(file: label, bytes: bytes, schema: schema).problems
        case .team: WebexListFile<WebexTeam>(file: label, bytes: bytes, schema: schema).problems
        case .user: WebexListFile<WebexUser>(file: label, bytes: bytes, schema: schema).problems
        case .userProfile: WebexListFile<WebexUserProfile>(file: label, bytes: bytes, schema: schema).problems
        case .agentProfile: WebexListFile<WebexAgentProfile>(file: label, bytes: bytes, schema: schema).problems
        case .entryPoint: WebexListFile<WebexEntryPoint>(file: label, bytes: bytes, schema: schema).problems
        case .queue: WebexListFile<WebexQueue>(file: label, bytes: bytes, schema: schema).problems
        case .auxiliaryCode: WebexListFile<WebexAuxiliaryCode>(file: label, bytes: bytes, schema: schema).problems
        }
    }
}
