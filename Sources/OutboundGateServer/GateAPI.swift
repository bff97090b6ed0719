import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig
import OutboundStore
import ServiceLifecycle

/// The routes of the HTTP API (SPEC §6), each answering from the snapshot of one revision and
/// naming it. `GateResponder` dispatches to them once the token and the
/// method are checked; ids, errors, the access log and metrics are `RequestRecord`'s.
struct GateAPI: Sendable {
    let state: GateState
    let metrics: GateMetrics
    let reads: StoreReads
    let maxStale: TimeInterval
    let longPolls: LongPollLimit

    static let maxBody = 1 << 20
    static let maxChecks = 1_000
    /// Entries per `/v1/changes` page.
    static let maxChanges = 10_000

    /// Answers `route` (`agent`: the path's `{agent}`, percent-decoded), after the
    /// degraded-store rule for `/v1` routes; with the revision the answer came from.
    func respond(_ route: Route, agent: String?, _ request: Request) async throws -> (Response, Int) {
        if route.isVersioned { try checkNotTooStale() }
        let query = Query(request.uri)
        switch route {
        case .healthz: return (Self.json(.object([("status", .string("ok"))])), state.snapshot.revision)
        case .readyz: return readiness()
        case .metrics:
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return (
                Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))), state.snapshot.revision
            )
        case .openapi: return (Self.json(text: OpenAPIDocument.text), state.snapshot.revision)
        case .status: return status()
        case .agentOutbound: return try await outbound(try Self.agent(agent, request), query, request)
        case .check: return try await check(request)
        case .agentExplain: return try await explain(try Self.agent(agent, request), query, request)
        case .changes: return try await changes(query)
        }
    }

    /// The `{agent}` of an agent route (`Route.match` always finds one there).
    private static func agent(_ agent: String?, _ request: Request) throws -> String {
        guard let agent else { throw APIError.notFound("no such path: \(visible(request.uri.path))") }
        return agent
    }

    // MARK: Routes

    private func readiness() -> (Response, Int) {
        let health = state.storeHealth
        let snapshot = state.snapshot
        if let failing = health.failingSince {
            let body = JSON.object([
                ("status", .string("unavailable")),
                ("message", .string("the store could not be read since \(LicenceWindow.text(failing))")),
            ])
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
            ("agents", .int(snapshot.agentCount)),
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
        guard let cells = snapshot.cells(of: agent) else { throw try await Self.agentNotFound(agent, among: snapshot.agentIds) }
        if let team, !cells.contains(where: { $0.team == team }) {
            throw APIError(GateRefusal.notInTeam(agent, team: team, teams: cells.map(\.team)))
        }
        let now = Date()
        let answers =
            cells
            .filter { (channel == nil || $0.channel == channel) && (team == nil || $0.team == team) }
            .map { EvaluatedAnswer($0, at: now, state: state) }
        for answer in answers { metrics.checked(channel: answer.channel, available: answer.available) }
        let body = JSON.object([
            ("agent", .string(agent)),
            ("revision", .int(snapshot.revision)),
            (
                "answers",
                .array(
                    answers.map { answer in
                        .object([
                            ("team", .string(answer.team)), ("channel", .string(answer.channel.rawValue)), ("available", .bool(answer.available)),
                            ("reasons", .reasons(answer.reasons)), ("until", .until(answer.until)),
                        ])
                    })
            ),
        ]).rendered()
        return (Self.tagged(body, revision: snapshot.revision, request), snapshot.revision)
    }

    private func check(_ request: Request) async throws -> (Response, Int) {
        guard let type = request.headers[.contentType],
            type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
        else {
            throw APIError(
                status: .unsupportedMediaType, code: "unsupported-media-type", message: "the body must be JSON (Content-Type: application/json)")
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
        let (explanation, context) = try await Self.explain(try query.explainQuestion(agent: agent), reads: reads)
        var body = GateAnswer.explainJSON(agent: agent, answers: explanation.answers, source: context.sourceJSON(for:))
        if case .object(let members) = body { body = .object(members + [("revision", .int(context.revision))]) }
        return (Self.tagged(body.rendered(), revision: context.revision, request), context.revision)
    }

    /// `OutboundStore.explain` in turn with the other store reads (`StoreReads`), its
    /// refusals as API errors.
    static func explain(_ question: ExplainQuestion, reads: StoreReads) async throws -> (explanation: Explanation, context: ExplainingContext) {
        try await reads.run { try await $0.explain(question, now: Date()) }
    }

    private func changes(_ query: Query) async throws -> (Response, Int) {
        guard let since = try query.integer("since") else { throw APIError.badRequest("since: required, the revision to list changes after") }
        let wait = try query.integer("wait", in: 0...60) ?? 0
        let cursor = try query.string("cursor").map { text in
            guard let cursor = ChangeFeed.Cursor(text: text) else {
                throw APIError.badRequest("cursor: not a cursor (c~AGENT~TEAM~CHANNEL or r~REVISION~AGENT~TEAM~CHANNEL: use the answer's next)")
            }
            return cursor
        }
        var snapshot = try await self.snapshot(minRevision: since)
        if wait > 0, cursor == nil, snapshot.revision <= since {
            guard longPolls.enter() else {
                throw APIError(
                    status: .serviceUnavailable, code: "store-unavailable", message: "too many held long-polls; retry",
                    headers: [.retryAfter: "1"])
            }
            defer { longPolls.leave() }
            let state = self.state
            // A graceful shutdown cancels the wait, which then answers at once.
            snapshot = await cancelWhenGracefulShutdown { await state.snapshot(atLeast: since + 1, within: .seconds(wait)) }
        }
        let feed: ChangeFeed
        do {
            // Off the cooperative pool: a page sorts up to `RecentChanges.maxEntries` keys.
            let held = try await BlockingWork.run { [snapshot] in
                snapshot.recent.feed(since: since, after: cursor, limit: Self.maxChanges, in: snapshot, now: Date())
            }
            if let held {
                feed = held
            } else {
                feed = try await reads.run { try await $0.changes(since: since, after: cursor, limit: Self.maxChanges, now: Date()) }
            }
        } catch StoreError.unknownRevision {
            throw APIError.revisionNotVisible("since \(since) is ahead of the store's revision \(snapshot.revision)")
        }
        let body = JSON.object([
            ("revision", .int(feed.revision)),
            (
                "changes",
                .array(
                    feed.changes.map { change in
                        .object([
                            ("agent", .string(change.key.agent)), ("team", .string(change.key.team)),
                            ("channel", .string(change.key.channel.rawValue)),
                            ("available", .bool(change.reasons.isEmpty)), ("reasons", .reasons(change.reasons)),
                            ("until", .until(change.until)), ("revision", .int(change.revision)),
                        ])
                    })
            ),
            (
                "removed",
                .array(
                    feed.removals.map { removal in
                        .object([
                            ("agent", .string(removal.key.agent)), ("team", .string(removal.key.team)),
                            ("channel", .string(removal.key.channel.rawValue)),
                            ("revision", .int(removal.revision)),
                        ])
                    })
            ),
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
