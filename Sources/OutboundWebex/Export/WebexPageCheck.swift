import OutboundConfig

extension WebexResource {
    /// Checks one list response (a page, a plain array or the paged envelope) as `import webex`
    /// checks its files: errors and warnings, each located at `label` (e.g. "user page 3") and a JSON path.
    /// `webex pull` checks what the tenant sends with it, so a pull and an import of the same
    /// lists agree on what is wrong. Errors come first, the first 100 spelled out and one line
    /// counting the rest; then one warning per field the items break Cisco's schema in without
    /// being refused (SPEC §9), at its first occurrence and counting the others. Ids repeated
    /// across pages and references between lists are the export's to check, not a page's.
    public func problems(ofListResponse bytes: [UInt8], label: String) -> [WebexInputProblem] {
        func check<Item: WebexItem>(_: Item.Type) -> [WebexInputProblem] {
            let page = WebexListFile<Item>(file: label, bytes: bytes)
            let undescribed = page.undescribedItems > 0 ? [label: page.undescribedItems] : [:]
            return WebexInputProblem.capped(page.problems, undescribedItems: undescribed, in: "in this response")
                + page.fieldWarnings.values.sorted { $0.field < $1.field }.map(\.problem)
        }
        switch self {
        case .multimediaProfile: return check(WebexMultimediaProfile.self)
        case .site: return check(WebexSite.self)
        case .team: return check(WebexTeam.self)
        case .user: return check(WebexUser.self)
        case .userProfile: return check(WebexUserProfile.self)
        case .agentProfile: return check(WebexAgentProfile.self)
        case .entryPoint: return check(WebexEntryPoint.self)
        case .queue: return check(WebexQueue.self)
        case .auxiliaryCode: return check(WebexAuxiliaryCode.self)
        }
    }
}
