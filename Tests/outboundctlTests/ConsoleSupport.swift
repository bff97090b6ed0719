import Foundation
import PostgresTestSupport
import XCTest

/// What the support console's tests share: stores built by `apply` from examples/acme, a
/// tenant whose names are hostile, and requests over a raw socket (no redirect followed, no
/// cookie kept: the tests see exactly what serve answered).
enum ConsoleFixture {
    /// Names that would run or break markup if a page did not escape them.
    static let hostileAgentName = #"<script>document.title="pwned"</script> & "Ana" O'Silva"#
    static let hostileTeamName = #"Digital <b>tier</b> & "1""#
    static let hostileSiteName = #"Lis<bon> & 'co'"#
    static let hostileMessage = #"<img src=x onerror="document.title='pwned'"> & "quoted""#

    /// examples/acme applied to a fresh store (a SQLite file, or with `postgres` a schema of the
    /// throwaway PostgreSQL server); with `hostile`, ana.silva, digital-tier1 and lisbon carry
    /// the hostile names and the apply the hostile message and author.
    static func store(_ test: XCTestCase, hostile: Bool = false, postgres: Bool = false) throws -> (store: String, configuration: URL) {
        let configuration = try copyExample("acme", test)
        if hostile {
            try edit(
                configuration.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva",
                with: "name: '\(hostileAgentName.replacingOccurrences(of: "'", with: "''"))'")
            try edit(configuration.appendingPathComponent("organisation.yaml"), replacing: "name: Digital tier 1", with: "name: '\(hostileTeamName)'")
            try edit(
                configuration.appendingPathComponent("organisation.yaml"), replacing: "name: Lisbon",
                with: "name: '\(hostileSiteName.replacingOccurrences(of: "'", with: "''"))'")
        }
        var store = configuration.deletingLastPathComponent().appendingPathComponent("outbound.sqlite").path
        if postgres {
            let schema = TestPostgres.uniqueSchema("console")
            store = try TestPostgres.server().url(schema: schema)
            test.addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
        }
        var arguments = ["apply", configuration.path, "--store", store]
        if hostile { arguments += ["--message", hostileMessage, "--author", "<script>x</script>"] }
        let applied = try outboundctl(arguments)
        XCTAssertEqual(applied.status, 0, applied.stderr)
        return (store, configuration)
    }
}

extension ServeProcess {
    /// A GET of a console page; see below.
    func console(_ path: String, headers: [String: String] = [:]) throws -> HTTPAnswer {
        try console("GET", path, headers: headers)
    }

    /// One request on its own connection, answered as sent: a 303 is not followed.
    func console(_ method: String, _ path: String, headers: [String: String] = [:], form: String? = nil) throws -> HTTPAnswer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let form {
            if headers["Content-Type"] == nil { head += "Content-Type: application/x-www-form-urlencoded\r\n" }
            head += "Content-Length: \(form.utf8.count)\r\n"
        }
        let connection = try RawConnection(port: baseURL.port!)
        connection.send(head + "\r\n" + (form ?? ""))
        return try connection.response()
    }
}
