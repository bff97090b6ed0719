import Foundation
import OutboundConfig

/// A PostgreSQL store's address, parsed from `--store` or `OUTBOUNDCTL_STORE` (docs/store.md):
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=…&sslrootcert=PATH&host=/socket/dir]`,
/// `postgresql://` too. The password, when the URL has none, comes from `PGPASSWORD`, else
/// from `~/.pgpass` (`PGPASSFILE`), as with libpq, so that a long-running `serve` need not
/// show it in the process list. It is never part of `location`, which every message uses.
public struct PostgresURL: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS, without checking the server's certificate (libpq's `require`).
        case require
        /// TLS, with the certificate checked against `sslrootcert` (or the system's roots) and the host name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    /// The TCP host, also the name `~/.pgpass` is matched with ("localhost" for a socket).
    public var host: String
    public var port: Int
    public var database: String
    /// Set for `?host=/dir`: the server's unix socket is `DIR/.s.PGSQL.PORT`.
    public var socketDirectory: String?
    /// The schema holding the store; used in DDL, so it matches the id pattern.
    public var schema: String
    public var sslMode: SSLMode
    public var sslRootCertificate: String?

    public static let defaultSchema = "outboundctl"

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// The store's place for messages and hints: host, port, database and schema, never the
    /// password (a URL that can be passed back to `--store`).
    public var location: String {
        var query = socketDirectory.map { ["host=\(Self.escape($0, keeping: "/"))"] } ?? []
        query.append("schema=\(schema)")
        if sslMode != .disable { query.append("sslmode=\(sslMode.rawValue)") }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return
            "postgres://\(Self.escape(user, keeping: ""))@\(shownHost):\(port)/\(Self.escape(database, keeping: ""))?\(query.joined(separator: "&"))"
    }

    /// Parses `text`; `environment` and `home` supply `PGPASSWORD`, `PGPASSFILE` and `~/.pgpass`.
    public init(
        parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = NSHomeDirectory()
    ) throws {
        func bad(_ why: String) -> PostgresURLError { PostgresURLError(message: "--store: \(why)") }
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw bad("not a PostgreSQL URL; expected postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME]")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw bad("the URL names no user; expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        self.user = user
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        host =
            components.host.map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw bad("port \(port) is out of range") }
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if database.isEmpty { database = user }
        guard !database.contains("/") else { throw bad("the database name '\(database)' has a '/'") }
        schema = Self.defaultSchema
        sslMode = .disable
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema":
                guard Identifier.isValid(value), value.utf8.count <= 63 else {
                    throw bad("schema '\(value)' is not a valid name: it matches ^[a-z0-9][a-z0-9._-]*$ and has at most 63 characters")
                }
                schema = value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw bad("sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "sslrootcert":
                sslRootCertificate = value
            case "host":
                guard value.hasPrefix("/") else { throw bad("host '\(value)' must be the absolute path of the server's socket directory") }
                socketDirectory = value
            default:
                throw bad("unknown parameter '\(item.name)'; the URL takes schema, sslmode, sslrootcert and host")
            }
        }
        if sslRootCertificate != nil, sslMode != .verifyFull {
            throw bad("sslrootcert needs sslmode=verify-full (the certificate is only checked then)")
        }
        if password == nil {
            password =
                environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
                ?? PasswordFile(path: environment["PGPASSFILE"] ?? home + "/.pgpass")?.password(
                    host: host, port: port, database: database, user: user)
        }
    }

    private static func escape(_ text: String, keeping extra: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~" + extra)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A URL that cannot be used, said before any connection is tried.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// `~/.pgpass`: lines of `host:port:database:user:password`, `*` matching anything, `\:` and
/// `\\` escaped. Like libpq, a file that others may read is ignored.
struct PasswordFile {
    let lines: [[String]]

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        lines = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":", fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            return fields.count == 5 ? fields : nil
        }
    }

    /// The first line's password whose fields match (a socket connection matches `localhost`).
    func password(host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        return lines.first { fields in zip(fields, wanted).allSatisfy { $0 == "*" || $0 == $1 } }?[4]
    }
}
