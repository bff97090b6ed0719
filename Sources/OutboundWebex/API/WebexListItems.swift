import OutboundConfig

extension WebexClient {
    /// Every item of a paged list (`page` from 0 to `meta.totalPages`), as JSON: the few reads
    /// a push makes besides the pull (a lookup by name, the work types), which need no file.
    public func items(ofList path: String) async throws -> [JSON] {
        var items: [JSON] = []
        var page = 0
        while true {
            // A list cannot claim pages it does not have: an empty one before the last is retried,
            // then refused (SPEC §10), as the pull refuses it.
            let answer = try await get(path, query: [("page", String(page)), ("pageSize", "100")]) { [page] tape in
                guard let data = tape.kind(tape.root) == .object ? tape.member("data", of: tape.root) : nil, tape.kind(data) == .array,
                    tape.count(data) == 0, let meta = tape.member("meta", of: tape.root), let total = tape.member("totalPages", of: meta),
                    tape.kind(total) == .number, case .int(let pages) = tape.number(total), page < pages - 1
                else { return nil }
                return "page \(page) is empty, but the list claims \(pages) pages"
            }
            let json = JSON(answer.tape, node: answer.tape.root)
            items += json["data"]?.arrayValue ?? []
            page += 1
            // Bounded however many pages an answer claims.
            guard let pages = json["meta"]?["totalPages"]?.intValue, page < pages, page < 10_000 else { return items }
        }
    }
}
