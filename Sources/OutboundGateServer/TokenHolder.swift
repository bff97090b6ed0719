import Foundation
import Hummingbird

/// The tokens in force; swapped on SIGHUP.
final class TokenHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: TokenFile?

    init(_ tokens: TokenFile?) { self.tokens = tokens }

    var current: TokenFile? { lock.withLock { tokens } }

    func replace(_ tokens: TokenFile) { lock.withLock { self.tokens = tokens } }

    /// The token check of SPEC §6 for a route of `access`: with `--token-file`, a request needs
    /// `Authorization: Bearer TOKEN` (401 without it or with a wrong one), and a token of scope
    /// `check` reaches only the checks (403 elsewhere). Tokens are compared in constant time
    /// (`TokenFile`) and never logged.
    func authorize(_ request: Request, for access: Route.Access) throws {
        guard access != .open, let tokens = current else { return }
        let unauthorized = APIError(
            status: .unauthorized, code: "unauthorized", message: "a bearer token is required (Authorization: Bearer TOKEN)",
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
}
