import Foundation

/// The PostgreSQL server the tests use: `OUTBOUNDCTL_TEST_POSTGRES` when set (a URL whose
/// role may create schemas), else one throwaway server per test process, started by
/// `scripts/dev-postgres.sh` — the same script people use — and stopped when the process ends.
/// When PostgreSQL is not installed, `server()` throws with the install hint: the tests that
/// need it fail, they never pass by skipping.
public enum TestPostgres {
    public struct Server: Sendable {
        /// Runs `stopCommand` or `startCommand`.
        public func run(_ command: String?) throws {
            guard let command else { throw Unavailable(description: "this server cannot be stopped or started by the tests") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            // Inherited descriptors closed first, as in dev-postgres.sh: a server started here
            // would hold them, and this wait would never end.
            process.arguments = [
                "-c",
                """
                for fd in /proc/$$/fd/*; do fd="${fd##*/}"; [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ] && eval "exec $fd>&-" 2>/dev/null; done
                \(command) >/dev/null 2>&1
                """,
            ]
            try process.run()
            process.waitUntilExit()
        }

        /// The URL over the unix socket (no password asked), without `schema`.
        public var url: String
        /// The URL over TCP on 127.0.0.1 (password `postgres`); nil for `OUTBOUNDCTL_TEST_POSTGRES`.
        public var tcpURL: String?
        /// The server's directory (socket and data); nil for `OUTBOUNDCTL_TEST_POSTGRES`.
        public var directory: String?
        /// The command that stops the server at once (`pg_ctl … stop -m immediate`).
        public var stopCommand: String?
        /// The command that starts it again after a stop.
        public var startCommand: String?
        /// The TCP port.
        public var port: Int?

        /// `url` with `?schema=NAME` (or `&schema=`).
        public func url(schema: String) -> String {
            url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Started under a lock rather than as a lazy `static let`: Foundation's `Process` cannot
    /// wait for its child inside a static initialiser on Linux (the wait never returns).
    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: Result<Server, Unavailable>?

    /// The server, started on first use.
    public static func server() throws -> Server {
        lock.lock()
        defer { lock.unlock() }
        if started == nil { started = start() }
        return try started!.get()
    }

    /// A schema name no other test uses.
    public static func uniqueSchema(_ prefix: String = "t") -> String {
        "\(prefix)_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
    }

    public struct PsqlFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `sql` with the system's `psql` (independent of our code) on the test server, or
    /// on `url`, with `schema` first on the search path; its unaligned output, trimmed.
    @discardableResult
    public static func psql(_ sql: String, schema: String? = nil, url: String? = nil, password: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", "--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
            "--dbname=\(try url ?? server().url)", "--command=\(sql)",
        ]
        var environment = ProcessInfo.processInfo.environment
        if let schema { environment["PGOPTIONS"] = "-c search_path=\"\(schema)\"" }
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PsqlFailure(description: "psql: \(complaint)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The repository root (scripts/ lives there).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func start() -> Result<Server, Unavailable> {
        if let url = ProcessInfo.processInfo.environment["OUTBOUNDCTL_TEST_POSTGRES"], !url.isEmpty {
            return .success(Server(url: url))
        }
        return startPrivate()
    }

    /// A server of the caller's own, also with `OUTBOUNDCTL_TEST_POSTGRES` set (for tests
    /// that stop it); it stops when the test process ends.
    public static func startPrivate() -> Result<Server, Unavailable> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            repositoryRoot.appendingPathComponent("scripts/dev-postgres.sh").path,
            "--stop-with", String(ProcessInfo.processInfo.processIdentifier),
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            return .failure(Unavailable(description: "cannot run scripts/dev-postgres.sh: \(error)"))
        }
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var fields: [String: String] = [:]
        for line in said.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard process.terminationStatus == 0, let url = fields["url"] else {
            return .failure(
                Unavailable(
                    description: """
                        the PostgreSQL tests need a PostgreSQL server: install it (apt-get install postgresql), \
                        or set OUTBOUNDCTL_TEST_POSTGRES to a URL; scripts/dev-postgres.sh said: \(complaint)
                        """))
        }
        let port = fields["tcp"].flatMap { URLComponents(string: $0)?.port }
        return .success(
            Server(
                url: url, tcpURL: fields["tcp"], directory: fields["dir"], stopCommand: fields["stop"],
                startCommand: fields["start"], port: port))
    }
}
