import Foundation
import NIOCore
import OutboundStore
import PostgresNIO

/// PostgreSQL's and the connection's failures as store errors that name the store by host,
/// port, database and schema (`PostgresURL.location`), never the password. PSQLError's own
/// description hides everything (to leak nothing); the useful parts are picked here.
enum PostgresErrors {
    static func wrap<T>(_ url: PostgresURL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw storeError(error, url)
        }
    }

    static func storeError(_ error: Error, _ url: PostgresURL) -> StoreError {
        let location = url.location
        if let urlError = error as? PostgresURLError { return .unreadable(location, urlError.message) }
        if error is ConnectionLost { return lost(location) }
        guard let error = error as? PSQLError else {
            return .unreadable(location, "cannot reach the server: \(describe(error))")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "an error without a message"
            switch state {
            case "55P03": return .locked(location)
            case "28P01", "28000":
                return .unreadable(
                    location, "the server refused user '\(url.user)' (\(message)); check the password (URL, PGPASSWORD or ~/.pgpass) and pg_hba.conf")
            case "3D000": return .unreadable(location, "the database '\(url.database)' does not exist on \(url.host):\(url.port)")
            case "42501": return .unreadable(location, "user '\(url.user)' lacks a privilege the store needs: \(message) (docs/store.md lists them)")
            case "57P01", "57P02", "57P03":
                return .unreadable(location, "the server is shutting down or not accepting connections (\(message)); nothing was written")
            case "53300": return .unreadable(location, "the server has no connection left (\(message))")
            default: return .unreadable(location, "\(message) (SQLSTATE \(state)); nothing was written")
            }
        case .connectionError:
            let cause = error.underlying.map(describe) ?? "unknown cause"
            return .unreadable(
                location,
                "cannot connect to the server at \(url.socketDirectory.map { "\($0)/.s.PGSQL.\(url.port)" } ?? "\(url.host):\(url.port)"): \(cause)")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return lost(location)
        case .authMechanismRequiresPassword:
            return .unreadable(location, "the server asks user '\(url.user)' for a password and none was given (put it in PGPASSWORD or ~/.pgpass)")
        case .sslUnsupported:
            return .unreadable(location, "the server does not offer TLS, which sslmode=\(url.sslMode.rawValue) requires")
        case .failedToAddSSLHandler:
            return .unreadable(location, "TLS could not be set up\(error.underlying.map { ": \(describe($0))" } ?? "")")
        default:
            return .unreadable(location, "the server connection failed (\(error.code))\(error.underlying.map { ": \(describe($0))" } ?? "")")
        }
    }

    private static func lost(_ location: String) -> StoreError {
        .unreadable(location, "the connection to the server was lost; an apply is written whole or not at all (`outboundctl history` shows which)")
    }

    /// An underlying network or TLS error in words (NIO's descriptions are good; a
    /// `NIOConnectionError` wraps one per address tried).
    private static func describe(_ error: Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return describe(first.error) }
            if let dns = connection.dnsAAAAError ?? connection.dnsAError { return "the host name does not resolve (\(dns))" }
        }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return "connection refused (is the server running, and on this port?)" }
        if let io = error as? IOError, io.errnoCode == ENOENT { return "no such socket (is the server running, and on this port?)" }
        return "\(error)"
    }
}
