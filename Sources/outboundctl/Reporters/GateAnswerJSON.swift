import OutboundConfig
import OutboundStore

/// Where a gate answer's sources come from: files (file:line:column), or a store, which names
/// the revision that last changed the deciding node's entity and where the node stood in the
/// files that revision was applied from (when it kept that).
enum AnswerSource {
    case files
    case store(ExplainingContext)

    /// A check's `source` in `explain --format json`.
    func json(for check: CheckResult) -> JSON {
        switch self {
        case .files: check.fileSourceJSON
        case .store(let context): context.sourceJSON(for: check)
        }
    }
}
