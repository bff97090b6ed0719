import Hummingbird

/// The server's one responder: every request is recorded (`RequestRecord`), then matched
/// against the API's routes (`Route`), its token checked for the route's access level
/// (`TokenHolder.authorize`) before its method, and answered by `GateAPI`; the console's pages
/// answer the paths that are theirs, and the rest is 404 after the token check.
///
/// Not Hummingbird's `Router` with middleware: with the same steps as router middleware
/// (records, a fallback for console pages, 405 and 404, a token group per access level), a
/// single check reached 0.86× this responder's rate in the same run (docs/performance.md),
/// over the 5 % issue #25 allowed the router to cost.
struct GateResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let record: RequestRecord
    let tokens: TokenHolder
    let api: GateAPI
    let console: Console

    func respond(to request: Request, context: Context) async throws -> Response {
        let arrival = record.arrival(of: request)
        let path = request.uri.path
        let matched = Route.match(path)
        let page = matched == nil ? ConsolePage.match(path) : nil
        var response: Response
        var revision: Int?
        do {
            (response, revision) = try await answer(request, matched, page)
        } catch {
            response = RequestRecord.response(for: error)
        }
        return record.finish(arrival, request, response, revision: revision, route: matched?.0.rawValue ?? page?.pattern ?? "unmatched")
    }

    /// The answer, and the revision it came from when a route says.
    private func answer(_ request: Request, _ matched: (Route, agent: String?)?, _ page: ConsolePage?) async throws -> (Response, Int?) {
        guard let (route, agent) = matched else {
            // The console's pages have their own login (a session cookie, not a bearer token).
            if let page { return (await console.respond(to: request, page: page), nil) }
            try tokens.authorize(request, for: .check)
            throw APIError.notFound("no such path: \(GateAPI.visible(request.uri.path))")
        }
        // The token first: without one, every path but the probes is 401, whatever the method.
        try tokens.authorize(request, for: route.access)
        guard request.method.rawValue == route.method else {
            throw APIError(
                status: .methodNotAllowed, code: "method-not-allowed", message: "\(route.rawValue) answers \(route.method) only",
                headers: [.allow: route.method])
        }
        return try await api.respond(route, agent: agent, request)
    }
}
