import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig
import OutboundStore

/// The support console (SPEC §8): server-rendered pages for support staff, answered from the
/// same snapshot, explain data and matrix writers as the API and the CLI. It only reads. With
/// `--token-file` every page but the login form needs a session (`ConsoleSessions`); without a
/// session a page answers 401 with the login form, so the address in the bar stays the one
/// that was asked for and the form comes back to it.
struct Console: Sendable {
    let state: GateState
    let tokens: TokenHolder
    let reads: StoreReads
    /// Whether `X-Forwarded-Proto: https` is believed: only when serve listens on loopback,
    /// where the only client that can send it is the TLS-terminating proxy on the same host.
    let trustsForwardedProto: Bool
    let sessions = ConsoleSessions()
    let directory = AgentDirectory()

    static let cookieName = "outboundctl-session"

    /// What a page needs to know about the request it answers.
    struct Visit {
        var request: Request
        var query: Query
        var snapshot: GateSnapshot
        /// Whether a session is open (the logout button is shown).
        var signedIn: Bool

        func page(_ title: String, _ section: Layout.Section?, _ body: HTML, status: HTTPResponse.Status = .ok) -> Response {
            Console.html(Layout.page(title: title, section: section, signedIn: signedIn, revision: snapshot.revision, body), status: status)
        }
    }

    func respond(to request: Request, page: ConsolePage) async -> Response {
        let snapshot = state.snapshot
        var signedIn = false
        var response: Response
        do {
            signedIn = try authenticate(request, page)
            guard page.methods.contains(request.method.rawValue) else {
                throw APIError(
                    status: .methodNotAllowed, code: "method-not-allowed",
                    message: "\(page.pattern) answers \(page.methods.joined(separator: " and ")) only",
                    headers: [.allow: page.methods.joined(separator: ", ")])
            }
            let query = Query(values: try FormFields.parse(request.uri.query))
            response = try await answer(page, Visit(request: request, query: query, snapshot: snapshot, signedIn: signedIn))
        } catch let error as APIError {
            response = errorPage(error, request: request, snapshot: snapshot, signedIn: signedIn)
        } catch {
            response = errorPage(
                APIError(status: .internalServerError, code: "internal", message: "the page could not be drawn"),
                request: request, snapshot: snapshot, signedIn: signedIn)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private func answer(_ page: ConsolePage, _ visit: Visit) async throws -> Response {
        switch page {
        case .search: return SearchPages.search(visit)
        case .agents: return try await SearchPages.agents(visit, directory: directory, reads: reads)
        case .suggest: return try await SearchPages.suggest(visit, directory: directory, reads: reads)
        case .agent(let agent): return try await AgentPage.render(agent, visit, reads: reads)
        case .overview: return try await OverviewPage.render(visit, reads: reads)
        case .overviewCSV: return try await OverviewPage.csv(visit, reads: reads)
        case .revisions: return try await RevisionsPage.render(visit, reads: reads)
        case .login: return try await login(visit)
        case .logout: return try logout(visit)
        case .stylesheet: return Self.asset(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8")
        case .script: return Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        }
    }

    // MARK: Sessions

    /// Whether the request carries a live session; throws 401 when the page needs one and it
    /// has none. Without a token file the console is open (serve then listens on loopback only).
    private func authenticate(_ request: Request, _ page: ConsolePage) throws -> Bool {
        guard let current = tokens.current else { return false }
        let live = sessionId(request).map { sessions.isValid($0, tokens: current, now: Date()) } ?? false
        guard live || page.isPublic else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "log in with a token to use the console")
        }
        return live
    }

    private func sessionId(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == Self.cookieName { return String(parts[1]) }
            }
        }
        return nil
    }

    private func login(_ visit: Visit) async throws -> Response {
        guard let current = tokens.current else {
            guard visit.request.method == .get else { throw APIError.notFound("serve runs without --token-file: the console needs no login") }
            return Self.redirect(to: "/")
        }
        guard visit.request.method == .post else {
            if visit.signedIn { return Self.redirect(to: "/") }
            return visit.page("Log in", nil, LoginPage.form(next: try LoginPage.next(visit.query.string("next")), notice: nil))
        }
        let form = try await LoginPage.fields(of: visit.request)
        let next = try LoginPage.next(form.string("next"))
        guard let token = try form.string("token") else {
            return visit.page("Log in", nil, LoginPage.form(next: next, notice: "Enter a token."), status: .badRequest)
        }
        switch current.scope(of: token[...]) {
        case .all?:
            let id = sessions.start(token: token, now: Date())
            var response = Self.redirect(to: next)
            response.headers[.setCookie] = cookie(id, maxAge: Int(ConsoleSessions.lifetime), visit.request)
            return response
        case .check?:
            return visit.page(
                "Log in", nil,
                LoginPage.form(next: next, notice: "This token is limited to the checks (scope=check); the console needs a token without scope."),
                status: .forbidden)
        case nil:
            return visit.page("Log in", nil, LoginPage.form(next: next, notice: "That token is not in serve's token file."), status: .unauthorized)
        }
    }

    private func logout(_ visit: Visit) throws -> Response {
        guard tokens.current != nil else { throw APIError.notFound("serve runs without --token-file: the console needs no login") }
        if let id = sessionId(visit.request) { sessions.end(id) }
        var response = Self.redirect(to: "/login")
        response.headers[.setCookie] = cookie("", maxAge: 0, visit.request)
        return response
    }

    private func cookie(_ value: String, maxAge: Int, _ request: Request) -> String {
        let secure = trustsForwardedProto && request.headers[.xForwardedProto]?.lowercased() == "https"
        return "\(Self.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    // MARK: Answers

    private func errorPage(_ error: APIError, request: Request, snapshot: GateSnapshot, signedIn: Bool) -> Response {
        let visit = Visit(request: request, query: Query(values: [:]), snapshot: snapshot, signedIn: signedIn)
        var response: Response
        if error.status == .unauthorized {
            let asked = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
            response = visit.page("Log in", nil, LoginPage.form(next: (try? LoginPage.next(asked)) ?? "/", notice: nil), status: .unauthorized)
        } else {
            let title = "\(error.status.code) \(error.status.reasonPhrase)"
            response = visit.page(
                title, nil,
                """
                <h1>\(title)</h1>
                <p class="notice" role="alert">\(error.message)</p>
                <p><a href="/">Search for an agent</a></p>
                """, status: error.status)
        }
        for field in error.headers { response.headers.append(field) }
        return response
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The pages take the request they answer as a `Visit`.
typealias Visit = Console.Visit

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let contentDisposition = HTTPField.Name("Content-Disposition")!
}
