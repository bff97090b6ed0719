import Foundation

/// The console's logins under `--token-file`. The browser holds only a random session id; the
/// token it was opened with stays here, so that every request can ask whether that token is
/// still in the token file (a SIGHUP that removed it ends the session at the next request).
/// Held in memory: a restart of serve asks everyone to log in again.
final class ConsoleSessions: @unchecked Sendable {
    static let lifetime: TimeInterval = 12 * 60 * 60

    private struct Session {
        var token: String
        var expires: Date
    }

    private let lock = NSLock()
    private var sessions: [String: Session] = [:]

    /// A new session for `token`: 256 random bits from the system's generator, as hex.
    func start(token: String, now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        lock.withLock {
            sessions = sessions.filter { $0.value.expires > now }
            sessions[id] = Session(token: token, expires: now + Self.lifetime)
        }
        return id
    }

    /// Whether `id` names a live session whose token `tokens` still holds without scope; a
    /// session that fails any of these is forgotten.
    func isValid(_ id: String, tokens: TokenFile?, now: Date) -> Bool {
        lock.withLock {
            guard let session = sessions[id] else { return false }
            guard session.expires > now, let tokens, tokens.scope(of: session.token[...]) == .all else {
                sessions[id] = nil
                return false
            }
            return true
        }
    }

    func end(_ id: String) {
        lock.withLock { sessions[id] = nil }
    }
}
