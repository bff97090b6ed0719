import OutboundConfig

extension WebexClient {
    /// Every item of a paged list (`page` from 0 to `meta.totalPages`), as JSON: the few reads
    /// a push makes besides the pull (a lookup by name, the work types), which need no file.
    public func items(ofList path: String) async throws -> [JSON] {
        var items: [JSON] = []
        var page = 0
        while true {
            let answer = try await get(path, query: [("page", String(page)), ("pageSize", "100")])
            let json = JSON(answer.tape, node: answer.tape.root)
            items += json["data"]?.arrayValue ?? []
            page += 1
            // Bounded however many pages an answer claims.
            guard let pages = json["meta"]?["totalPages"]?.intValue, page < pages, page < 10_000 else { return items }
        }
    }
}
