import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig
import OutboundStore

/// `/overview?site=&team=&page=` and `/overview.csv?site=&team=`: what `matrix` answers from
/// the store at this moment, with the same filters, rows, counts and CSV writer
/// (`MatrixRow`, `MatrixSummary`, `MatrixCSV`), so the page agrees with `matrix --format json`
/// and the download is `matrix --format csv --unavailable-only` byte for byte.
enum OverviewPage {
    static let pageSize = 50

    private struct Read: Sendable {
        var sites: [(id: String, name: String?)]
        var teams: [(id: String, name: String?)]
        var cells: [(AvailabilityKey, [ReasonCode])]
    }

    static func render(_ visit: Visit, reads: StoreReads) async throws -> Response {
        let (site, team) = try (visit.query.string("site"), visit.query.string("team"))
        let page = try visit.query.integer("page", in: 1...Int(Int32.max)) ?? 1
        let read = try await self.read(site: site, team: team, reads: reads)
        let rows = MatrixRow.rows(read.cells, team: team, unavailableOnly: false)
        let unavailable = rows.filter { !$0.available }
        let pages = max(1, (unavailable.count + pageSize - 1) / pageSize)
        guard page <= pages else { throw APIError.notFound("page \(page): the list of unavailable rows has \(pages) page\(pages == 1 ? "" : "s")") }
        let summaries = MatrixSummary.perChannel(rows)
        let counts = summaries.map { channel, summary -> HTML in
            let name = channel == .sms ? "SMS" : "Email"
            return """
                <figure class="channel" data-channel="\(channel.rawValue)" data-available="\(summary.available)" data-unavailable="\(summary.unavailable)">
                <figcaption>\(name)</figcaption>
                <p><span class="verdict available">\(summary.available) available</span> <span class="verdict unavailable">\(summary.unavailable) unavailable</span></p>
                \(ReasonChart.svg(summary, channel: name, id: "chart-\(channel.rawValue)"))
                </figure>

                """
        }
        let shown = unavailable.dropFirst((page - 1) * pageSize).prefix(pageSize)
        let list = shown.map { row -> HTML in
            let link = HTML.link(HTML.agentPath(row.agent), [("team", row.team), ("channel", row.channel.rawValue)])
            return """
                <tr><td data-label="Agent"><a href="\(link)">\(row.agent)</a></td><td data-label="Team">\(row.team)</td>\
                <td data-label="Channel">\(row.channel.rawValue)</td><td data-label="Reasons">\(row.reasons.map(\.rawValue).joined(separator: ", "))</td></tr>

                """
        }
        let table: HTML =
            unavailable.isEmpty
            ? "<p>Every row is available.</p>"
            : """
            <table class="stack unavailable-rows">
            <thead><tr><th scope="col">Agent</th><th scope="col">Team</th><th scope="col">Channel</th><th scope="col">Reasons</th></tr></thead>
            <tbody>
            \(list)</tbody>
            </table>
            \(pager(page: page, pages: pages, site: site, team: team))
            """
        let csv = HTML.link("/overview.csv", [("site", site), ("team", team)])
        let body: HTML = """
            <h1>Overview</h1>
            \(filters(read, site: site, team: team))
            <p>\(rows.count) rows (active agent × team × channel) at this moment, from the store.</p>
            <div class="counts">
            \(counts)</div>
            <h2 id="unavailable">Unavailable rows (\(unavailable.count))</h2>
            <p><a href="\(csv)" download>Download the unavailable rows as CSV</a></p>
            \(table)
            """
        return visit.page("Overview", .overview, body)
    }

    static func csv(_ visit: Visit, reads: StoreReads) async throws -> Response {
        let (site, team) = try (visit.query.string("site"), visit.query.string("team"))
        let read = try await self.read(site: site, team: team, reads: reads)
        let bytes = MatrixCSV.render(MatrixRow.rows(read.cells, team: team, unavailableOnly: true))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"outbound-unavailable.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Sites, teams and the rows at this moment; an unknown site or team is refused with
    /// "did you mean", as `matrix` refuses it.
    private static func read(site: String?, team: String?, reads: StoreReads) async throws -> Read {
        let read = try await reads.run { store in
            Read(
                sites: try await store.names(in: .sites), teams: try await store.names(in: .teams),
                cells: try await store.availabilityRows(site: site, now: Date()))
        }
        if let site, !read.sites.contains(where: { $0.id == site }) {
            throw APIError.badRequest("site: unknown site '\(site)'\(Suggestion.hint(for: site, in: read.sites.map(\.id)))")
        }
        if let team, !read.teams.contains(where: { $0.id == team }) {
            throw APIError.badRequest("team: unknown team '\(team)'\(Suggestion.hint(for: team, in: read.teams.map(\.id)))")
        }
        return read
    }

    private static func filters(_ read: Read, site: String?, team: String?) -> HTML {
        func options(_ entries: [(id: String, name: String?)], every: String, selected: String?) -> HTML {
            let first: HTML = selected == nil ? "<option value=\"\" selected>\(every)</option>" : "<option value=\"\">\(every)</option>"
            let rest = entries.map { entry -> HTML in
                let label = entry.name.map { "\($0) (\(entry.id))" } ?? entry.id
                return entry.id == selected
                    ? "<option value=\"\(entry.id)\" selected>\(label)</option>" : "<option value=\"\(entry.id)\">\(label)</option>"
            }
            return "\(first)\(rest)"
        }
        return """
            <form method="get" action="/overview" class="filters">
            <label for="site">Site<select id="site" name="site">\(options(read.sites, every: "Every site", selected: site))</select></label>
            <label for="team">Team<select id="team" name="team">\(options(read.teams, every: "Every team", selected: team))</select></label>
            <button type="submit">Filter</button>
            </form>
            """
    }

    private static func pager(page: Int, pages: Int, site: String?, team: String?) -> HTML {
        guard pages > 1 else { return "" }
        func link(_ target: Int, _ label: String, rel: String) -> HTML {
            "<a href=\"\(HTML.link("/overview", [("site", site), ("team", team), ("page", String(target))]) + "#unavailable")\" rel=\"\(rel)\">\(label)</a>"
        }
        let previous: HTML = page > 1 ? link(page - 1, "← Previous", rel: "prev") : ""
        let next: HTML = page < pages ? link(page + 1, "Next →", rel: "next") : ""
        return "<nav class=\"pager\" aria-label=\"Pages of unavailable rows\">\(previous) <span>Page \(page) of \(pages)</span> \(next)</nav>"
    }
}
