import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig
import OutboundStore
import ServiceLifecycle

/// The HTTP API of SPEC §6 as one responder: match the route, check the method and the
/// token, answer from the snapshot of one revision, log and count the request.
struct GateAPI: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: GateState
    let tokens: TokenHolder
    let metrics: GateMetrics
    let log: AccessLog
    let open: @Sendable () throws -> OutboundStore
    let maxStale: TimeInterval
    let longPolls: LongPollLimit
    let console: Console
    let requestIds = RequestIds()

    static let maxBody = 1 << 20
    static let maxChecks = 1_000

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = requestIds.id(given: request.headers[.xRequestId])
        let matched = Route.match(request.uri.path)
        var revision = state.snapshot.revision
        var response: Response
        do {
            (response, revision) = try await answer(request, matched)
        } catch let error as APIError {
            response = Self.error(error)
        } catch {
            response = Self.error(APIError(status: .internalServerError, code: "internal", message: "the request could not be answered"))
        }
        response.headers[.xRequestId] = requestId
        if request.uri.path.hasPrefix("/v1/") { response.headers[.xOutboundRevision] = String(revision) }
        let duration = ContinuousClock.now - started
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        let route = matched?.0.rawValue ?? ConsolePage.match(request.uri.path)?.pattern ?? "unmatched"
        metrics.request(route: route, status: response.status.code, nanoseconds: nanoseconds)
        log.record([
            ("time", .string(LicenceWindow.text(Date()))),
            ("method", .string(request.method.rawValue)),
            ("path", .string(request.uri.path)),
            ("status", .int(response.status.code)),
            ("durationMs", .number((Double(nanoseconds) / 1_000).rounded() / 1_000)),
            ("revision", .int(revision)),
            ("requestId", .string(requestId)),
        ])
        return response
    }

    /// The answer and the revision it came from.
    private func answer(_ request: Request, _ matched: (Route, agent: String?)?) async throws -> (Response, Int) {
        // The token first: without one, every path but the probes is 401, whatever the method.
        guard let (route, agent) = matched else {
            // The console's pages have their own login (a session cookie, not a bearer token).
            if let page = ConsolePage.match(request.uri.path) { return (await console.respond(to: request, page: page), state.snapshot.revision) }
            try authorize(request, for: .check)
            throw APIError.notFound("no such path: \(Self.visible(request.uri.path))")
        }
        try authorize(request, for: route.access)
        guard request.method.rawValue == route.method else {
            throw APIError(status: .methodNotAllowed, code: "method-not-allowed",
                           message: "\(route.rawValue) answers \(route.method) only", headers: [.allow: route.method])
        }
        if route.isVersioned { try checkNotTooStale() }
        let query = Query(request.uri)
        switch route {
        case .healthz: return (Self.json(.object([("status", .string("ok"))])), state.snapshot.revision)
        case .readyz: return readiness()
        case .metrics:
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return (Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))), state.snapshot.revision)
        case .openapi:
            return (Self.json(text: OpenAPIDocument.text), state.snapshot.revision)
        case .status: return status()
        case .agentOutbound: return try await outbound(agent!, query, request)
        case .check: return try await check(request)
        case .agentExplain: return try await explain(agent!, query, request)
        case .changes: return try await changes(query)
        }
    }

    // MARK: Routes

    private func readiness() -> (Response, Int) {
        let health = state.storeHealth
        let snapshot = state.snapshot
        if let failing = health.failingSince {
            let body = JSON.object([("status", .string("unavailable")),
                                    ("message", .string("the store could not be read since \(LicenceWindow.text(failing))"))])
            return (Self.json(body, status: .serviceUnavailable), snapshot.revision)
        }
        return (Self.json(.object([("status", .string("ready")), ("revision", .int(snapshot.revision))])), snapshot.revision)
    }

    private func status() -> (Response, Int) {
        let snapshot = state.snapshot
        let body = JSON.object([
            ("revision", .int(snapshot.revision)),
            ("storeId", .string(snapshot.storeId)),
            ("revisionTime", snapshot.revisionTime.map { .string($0) } ?? .null),
            ("agents", .int(snapshot.agentIds.count)),
            ("cells", .int(snapshot.cellCount)),
            ("stale", .bool(state.storeHealth.failingSince != nil)),
        ])
        return (Self.json(body), snapshot.revision)
    }

    private func outbound(_ agent: String, _ query: Query, _ request: Request) async throws -> (Response, Int) {
        let channel = try query.channel()
        let team = try query.string("team")
        let state = try query.state()
        let snapshot = try await snapshot(minRevision: try query.integer("minRevision"))
        guard let cells = snapshot.cellsByAgent[agent] else { throw try await Self.agentNotFound(agent, among: snapshot.agentIds) }
        if let team, !cells.contains(where: { $0.team == team }) { throw APIError(GateRefusal.notInTeam(agent, team: team, teams: cells.map(\.team))) }
        let now = Date()
        let answers = cells
            .filter { (channel == nil || $0.channel == channel) && (team == nil || $0.team == team) }
            .map { EvaluatedAnswer($0, at: now, state: state) }
        for answer in answers { metrics.checked(channel: answer.channel, available: answer.available) }
        let body = JSON.object([
            ("agent", .string(agent)),
            ("revision", .int(snapshot.revision)),
            ("answers", .array(answers.map { answer in
                .object([("team", .string(answer.team)), ("channel", .string(answer.channel.rawValue)), ("available", .bool(answer.available)),
                         ("reasons", .reasons(answer.reasons)), ("until", .until(answer.until))])
            })),
        ]).rendered()
        return (Self.tagged(body, revision: snapshot.revision, request), snapshot.revision)
    }

    private func check(_ request: Request) async throws -> (Response, Int) {
        guard let type = request.headers[.contentType],
              type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported-media-type", message: "the body must be JSON (Content-Type: application/json)")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBody {
            throw APIError(status: .contentTooLarge, code: "too-large", message: "the body is over 1 MiB")
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            throw APIError(status: .contentTooLarge, code: "too-large", message: "the body is over 1 MiB")
        }
        let batch = try CheckBatch(bytes, maxChecks: Self.maxChecks)
        let snapshot = try await snapshot(minRevision: batch.minRevision)
        let now = Date()
        // Off the cooperative pool: a "did you mean" compares with every agent id.
        let results: [JSON] = try await BlockingWork.run { [metrics] in
            var hints: [String: GateRefusal] = [:]
            return batch.checks.map { item in
                let result = BatchAnswer(item, in: snapshot, at: now, hints: &hints)
                if result.error == nil { metrics.checked(channel: item.channel, available: result.available) }
                return result.json
            }
        }
        return (Self.json(.object([("revision", .int(snapshot.revision)), ("results", .array(results))])), snapshot.revision)
    }

    private func explain(_ agent: String, _ query: Query, _ request: Request) async throws -> (Response, Int) {
        let (explanation, context) = try await Self.explain(try query.explainQuestion(agent: agent), open: open)
        var body = GateAnswer.explainJSON(agent: agent, answers: explanation.answers, source: context.sourceJSON(for:))
        if case .object(let members) = body { body = .object(members + [("revision", .int(context.revision))]) }
        return (Self.tagged(body.rendered(), revision: context.revision, request), context.revision)
    }

    /// `OutboundStore.explain` off the cooperative pool (it reads the store, and an unknown
    /// agent's "did you mean" compares with every agent id), its refusals as API errors.
    static func explain(_ question: ExplainQuestion, open: @escaping @Sendable () throws -> OutboundStore) async throws
        -> (explanation: Explanation, context: ExplainingContext) {
        do {
            return try await BlockingWork.run { try open().explain(question, now: Date()) }
        } catch let refusal as GateRefusal {
            throw APIError(refusal)
        } catch {
            throw APIError.storeUnavailable("the store cannot be read: \(error)")
        }
    }

    private func changes(_ query: Query) async throws -> (Response, Int) {
        guard let since = try query.integer("since") else { throw APIError.badRequest("since: required, the revision to list changes after") }
        let wait = try query.integer("wait", in: 0...60) ?? 0
        let cursor = try query.string("cursor").map { text in
            guard let cursor = ChangeFeed.Cursor(text: text) else { throw APIError.badRequest("cursor: not a cursor this server gave (use the answer's next)") }
            return cursor
        }
        var snapshot = try await self.snapshot(minRevision: since)
        if wait > 0, cursor == nil, snapshot.revision <= since {
            guard longPolls.enter() else {
                throw APIError(status: .serviceUnavailable, code: "store-unavailable", message: "too many held long-polls; retry",
                               headers: [.retryAfter: "1"])
            }
            defer { longPolls.leave() }
            let state = self.state
            // A graceful shutdown cancels the wait, which then answers at once.
            snapshot = await cancelWhenGracefulShutdown { await state.snapshot(atLeast: since + 1, within: .seconds(wait)) }
        }
        let feed: ChangeFeed
        do {
            feed = try await BlockingWork.run { [open] in try open().changes(since: since, after: cursor, now: Date()) }
        } catch StoreError.unknownRevision {
            throw APIError.revisionNotVisible("since \(since) is ahead of the store's revision \(snapshot.revision)")
        } catch {
            throw APIError.storeUnavailable("the store cannot be read: \(error)")
        }
        let body = JSON.object([
            ("revision", .int(feed.revision)),
            ("changes", .array(feed.changes.map { change in
                .object([("agent", .string(change.key.agent)), ("team", .string(change.key.team)), ("channel", .string(change.key.channel.rawValue)),
                         ("available", .bool(change.reasons.isEmpty)), ("reasons", .reasons(change.reasons)),
                         ("until", .until(change.until)), ("revision", .int(change.revision))])
            })),
            ("removed", .array(feed.removals.map { removal in
                .object([("agent", .string(removal.key.agent)), ("team", .string(removal.key.team)), ("channel", .string(removal.key.channel.rawValue)),
                         ("revision", .int(removal.revision))])
            })),
            ("next", feed.next.map { .string($0.text) } ?? .null),
        ])
        return (Self.json(body), feed.revision)
    }

    // MARK: Rules shared by the routes

    /// The served snapshot, at least at `minRevision` (waiting up to 1 s for the loader).
    private func snapshot(minRevision: Int?) async throws -> GateSnapshot {
        guard let minRevision else { return state.snapshot }
        let snapshot = await state.snapshot(atLeast: minRevision, within: .seconds(1))
        guard snapshot.revision >= minRevision else {
            throw APIError.revisionNotVisible("revision \(minRevision) is not visible yet; this server answers from revision \(snapshot.revision)")
        }
        return snapshot
    }

    private func authorize(_ request: Request, for access: Route.Access) throws {
        guard access != .open, let tokens = tokens.current else { return }
        let unauthorized = APIError(status: .unauthorized, code: "unauthorized", message: "a bearer token is required (Authorization: Bearer TOKEN)",
                                    headers: [.wwwAuthenticate: "Bearer"])
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { throw unauthorized }
        guard let scope = tokens.scope(of: header.dropFirst(7).drop(while: { $0 == " " })) else {
            var wrong = unauthorized
            wrong.message = "the bearer token is not valid"
            wrong.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
            throw wrong
        }
        if access == .full, scope == .check {
            throw APIError(status: .forbidden, code: "forbidden", message: "this token's scope is check; this route needs a token without scope")
        }
    }

    /// After `--max-stale` seconds of failed reads, `/v1` stops answering from the old revision.
    private func checkNotTooStale() throws {
        guard let failing = state.storeHealth.failingSince, Date().timeIntervalSince(failing) > maxStale else { return }
        throw APIError.storeUnavailable("the store has not been readable for over \(Int(maxStale)) s")
    }

    /// A `GET /v1/agents/…` answer with its ETag, or 304 when `If-None-Match` names it. The
    /// body holds the revision and every `until`, so its digest changes whenever the answer
    /// may: a new revision or a licence boundary passing.
    static func tagged(_ body: String, revision: Int, _ request: Request) -> Response {
        let etag = "\"\(revision)-\(String(FNV1a.hash(body), radix: 16))\""
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "no-cache"
        let given = request.headers[.ifNoneMatch]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if given.contains(where: { $0 == etag || $0 == "W/" + etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        return json(text: body, headers: headers)
    }

    /// The 404 with its "did you mean", worked out off the cooperative pool: it compares the
    /// id with every agent's.
    static func agentNotFound(_ agent: String, among ids: [String]) async throws -> APIError {
        try await BlockingWork.run { APIError(GateRefusal.unknownAgent(agent, among: ids)) }
    }

    static func json(_ body: JSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(text: body.rendered(), status: status, headers: headers)
    }

    static func json(text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ error: APIError) -> Response {
        json(error.json, status: error.status, headers: error.headers)
    }

    /// A path for a message: printable ASCII kept, anything else escaped.
    static func visible(_ text: String) -> String {
        let limited = text.utf8.prefix(200)
        return limited.map { $0 > 0x1F && $0 < 0x7F ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }
}

extension HTTPField.Name {
    static let xRequestId = HTTPField.Name("X-Request-Id")!
    static let xOutboundRevision = HTTPField.Name("X-Outbound-Revision")!
}

/// The tokens in force; swapped on SIGHUP.
final class TokenHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: TokenFile?

    init(_ tokens: TokenFile?) { self.tokens = tokens }

    var current: TokenFile? { lock.withLock { tokens } }

    func replace(_ tokens: TokenFile) { lock.withLock { self.tokens = tokens } }
}

/// At most `limit` long-polls held at once; each change of the count is reported (to the
/// `outboundctl_long_polls_held` gauge) while the lock is held, so reports arrive in order.
final class LongPollLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var held = 0
    private let report: @Sendable (Int) -> Void
    let limit: Int

    init(limit: Int = 1_000, report: @escaping @Sendable (Int) -> Void) {
        self.limit = limit
        self.report = report
    }

    func enter() -> Bool {
        lock.withLock {
            guard held < limit else { return false }
            held += 1
            report(held)
            return true
        }
    }

    func leave() {
        lock.withLock {
            held -= 1
            report(held)
        }
    }
}
