import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig
import OutboundStore

/// The agent search: the form at `/`, the matches at `/agents?q=` (which is all a browser
/// without JavaScript needs), and `/suggest?q=`, the JSON the script fills the datalist from.
enum SearchPages {
    static func search(_ visit: Visit) -> Response {
        visit.page(
            "Search", .search,
            """
            <h1>Why can't this agent start an outbound SMS or email?</h1>
            \(form(""))
            <p class="muted">Or see the <a href="/overview">overview</a> of every agent, or the store's <a href="/revisions">revisions</a>.</p>
            """)
    }

    static func agents(_ visit: Visit, directory: AgentDirectory, reads: StoreReads) async throws -> Response {
        guard let text = try visit.query.string("q") else { return search(visit) }
        let entries = try await directory.entries(for: visit.snapshot, reads: reads)
        // Off the cooperative pool: the lookup, the search and the "did you mean" read every agent.
        let (exact, found, more, hint) = try await BlockingWork.run {
            guard !entries.contains(where: { $0.id == text }) else { return (true, [AgentDirectory.Entry](), false, String?.none) }
            let (found, more) = AgentDirectory.search(text, in: entries, limit: 100)
            return (false, found, more, found.isEmpty ? Suggestion.closest(to: text, in: entries.lazy.map(\.id)) : nil)
        }
        if exact { return Console.redirect(to: HTML.agentPath(text)) }
        let list: HTML
        if found.isEmpty {
            let suggestion: HTML = hint.map { " Did you mean <a href=\"\(HTML.agentPath($0))\">\($0)</a>?" } ?? ""
            list = "<p>No agent's id or name holds “\(text)”.\(suggestion)</p>"
        } else {
            let items = found.map { entry -> HTML in
                let name: HTML = entry.name.map { " — \($0)" } ?? ""
                return "<li><a href=\"\(HTML.agentPath(entry.id))\">\(entry.id)</a>\(name)</li>\n"
            }
            let cut: HTML = more ? "<p class=\"muted\">Only the first 100 are shown; type more of the id or name.</p>" : ""
            list = "<ul class=\"results\">\n\(items)</ul>\(cut)"
        }
        return visit.page(
            "Search: \(text)", .search,
            """
            <h1>Agents matching “\(text)”</h1>
            \(form(text))
            \(list)
            """)
    }

    static func suggest(_ visit: Visit, directory: AgentDirectory, reads: StoreReads) async throws -> Response {
        guard let text = try visit.query.string("q") else { throw APIError.badRequest("q: required, the start of an agent's id or name") }
        let entries = try await directory.entries(for: visit.snapshot, reads: reads)
        let found = try await BlockingWork.run { AgentDirectory.search(text, in: entries, limit: 10).found }
        let body = JSON.object([("agents", .array(found.map { .object([("id", .string($0.id)), ("name", $0.name.map { .string($0) } ?? .null)]) }))])
        return GateAPI.json(body)
    }

    /// The search form; its datalist is filled by the script as the user types.
    static func form(_ text: String) -> HTML {
        """
        <form method="get" action="/agents" role="search" class="filters">
        <label for="agent-search">Agent id or name<input id="agent-search" name="q" value="\(text)" list="agent-suggestions" autocomplete="off" required></label>
        <datalist id="agent-suggestions"></datalist>
        <button type="submit">Search</button>
        </form>
        """
    }
}
