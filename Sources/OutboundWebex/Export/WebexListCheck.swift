import OutboundConfig

/// One list checked page by page as `import webex` checks an export's files (SPEC §9), for
/// `webex pull`, which reads a list as pages from the tenant: errors located by each page's
/// label (`v2/user?page=3`) and JSON path, the first `WebexInputProblem.limit` of the list
/// spelled out and one line counting the rest; warnings counted per field over the whole list,
/// one each, at the first occurrence — a `null` in one unread field of 50,000 users is one
/// warning, not one a page. Ids repeated across pages and references between lists are the
/// export's to check once the files are written, not a page's.
public struct WebexListCheck: Sendable {
    public let resource: WebexResource
    private var errors: [WebexInputProblem] = []
    private var hiddenErrors = 0
    private var undescribedItems = 0
    private var warnings: [String: WebexFieldWarning] = [:]

    public init(_ resource: WebexResource) {
        self.resource = resource
    }

    /// Checks one list response (a plain array or the paged envelope).
    public mutating func check(page bytes: [UInt8], label: String) {
        func read<Item: WebexItem>(_: Item.Type) -> (problems: [WebexInputProblem], undescribed: Int, warnings: [String: WebexFieldWarning]) {
            let page = WebexListFile<Item>(file: label, bytes: bytes)
            return (page.problems, page.undescribedItems, page.fieldWarnings)
        }
        let page =
            switch resource {
            case .multimediaProfile: read(WebexMultimediaProfile.self)
            case .site: read(WebexSite.self)
            case .team: read(WebexTeam.self)
            case .user: read(WebexUser.self)
            case .userProfile: read(WebexUserProfile.self)
            case .agentProfile: read(WebexAgentProfile.self)
            case .entryPoint: read(WebexEntryPoint.self)
            case .queue: read(WebexQueue.self)
            case .auxiliaryCode: read(WebexAuxiliaryCode.self)
            }
        let room = max(WebexInputProblem.limit - errors.count, 0)
        errors += page.problems.prefix(room)
        hiddenErrors += max(page.problems.count - room, 0)
        undescribedItems += page.undescribed
        WebexFieldWarning.add(page.warnings, to: &warnings)
    }

    /// The errors, then a line counting those not spelled out, then one warning a field.
    public var problems: [WebexInputProblem] {
        var problems = errors
        if hiddenErrors > 0 || undescribedItems > 0 {
            let counts = [
                hiddenErrors > 0 ? plural(hiddenErrors, "more problem") : nil,
                undescribedItems > 0 ? "problems in \(plural(undescribedItems, "more item"))" : nil,
            ]
            problems.append(
                WebexInputProblem(
                    .error, file: resource.listPath,
                    message:
                        "and \(counts.compactMap { $0 }.joined(separator: " and ")) in this list (the first \(WebexInputProblem.limit) problems are shown)"
                ))
        }
        return problems + warnings.values.sorted { $0.field < $1.field }.map(\.problem)
    }
}
