import Foundation
import PostgresTestSupport
import XCTest

/// The real binary on a PostgreSQL store (docs/store.md): the tour, many admins at once,
/// interrupted applies, `store copy`, the view for other programs, and clean failures. Each
/// test has a schema of its own on the test server (`TestPostgres`).
final class PostgresStoreTests: XCTestCase {
    var schema = ""
    var store = ""

    override func setUpWithError() throws {
        schema = TestPostgres.uniqueSchema("cli")
        store = try TestPostgres.server().url(schema: schema)
        addTeardownBlock { [schema] in _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
    }

    /// The README's tour gives the same answers on PostgreSQL as on SQLite.
    func testTheAcmeTourAnswersAsOnSQLite() throws {
        let sqlite = try temporaryDirectory(self).appendingPathComponent("outbound.sqlite").path
        for target in [store, sqlite] {
            let applied = try outboundctl(["apply", "examples/acme", "--store", target, "--message", "first"])
            XCTAssertEqual(applied.status, 0, applied.stderr)
            XCTAssertTrue(applied.stdout.contains("Applied revision 1"), applied.stdout)
            let plan = try outboundctl(["plan", "examples/acme", "--store", target, "--detailed-exitcode"])
            XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        }
        for command in [["explain", "ana.silva", "--format", "json"], ["matrix", "--format", "json"], ["matrix", "--format", "csv"]] {
            let onPostgres = try outboundctl(command + ["--store", store])
            let onSQLite = try outboundctl(command + ["--store", sqlite])
            XCTAssertEqual(onPostgres.stdout, onSQLite.stdout, "\(command)")
            XCTAssertEqual(onPostgres.status, onSQLite.status, "\(command): \(onPostgres.stderr)")
        }
        let history = try outboundctl(["history", "--store", store, "--format", "json"])
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertEqual((history.json?["revisions"] as? [[String: Any]])?.map { $0["message"] as? String }, ["first"])
        let exported = try temporaryDirectory(self).appendingPathComponent("export")
        XCTAssertEqual(try outboundctl(["export", "--out", exported.path, "--store", store]).status, 0)
        let replanned = try outboundctl(["plan", exported.path, "--store", store, "--detailed-exitcode"])
        XCTAssertEqual(replanned.status, 0, "the export plans to no change: \(replanned.stdout)")
        // The same through OUTBOUNDCTL_STORE.
        let viaEnvironment = try outboundctl(["history"], environment: ["OUTBOUNDCTL_STORE": store])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.stderr)
        XCTAssertTrue(viaEnvironment.stdout.contains("first"), viaEnvironment.stdout)
    }

    /// Eight admins apply eight different changes at once: eight contiguous revisions, every
    /// message in history, and the last revision's files are what stands. With
    /// `--expect-revision`, only one of eight goes through.
    func testEightAdminsAtOnceSerialise() throws {
        let base = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", base.path, "--store", store]).status, 0)
        var directories: [URL] = []
        for index in 0..<8 {
            let directory = try temporaryDirectory(self).appendingPathComponent("admin-\(index)")
            try FileManager.default.copyItem(at: base, to: directory)
            try edit(directory.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva", with: "name: Ana Silva \(index)")
            directories.append(directory)
        }
        func applyAll(_ extra: [String]) throws -> [RunResult] {
            let results = NSLock()
            nonisolated(unsafe) var collected: [Int: RunResult] = [:]
            let group = DispatchGroup()
            for (index, directory) in directories.enumerated() {
                DispatchQueue.global().async(group: group) { [store] in
                    let result = try? outboundctl(["apply", directory.path, "--store", store, "--message", "admin \(index)", "--yes"] + extra)
                    results.withLock { collected[index] = result }
                }
            }
            group.wait()
            return (0..<8).map { collected[$0] ?? RunResult(status: -1, stdout: "", stderr: "did not run") }
        }
        let results = try applyAll([])
        for result in results { XCTAssertEqual(result.status, 0, result.stderr) }
        let history = try XCTUnwrap(try outboundctl(["history", "--store", store, "--format", "json"]).json?["revisions"] as? [[String: Any]])
        XCTAssertEqual(history.compactMap { $0["revision"] as? Int }, Array(1...9), "contiguous")
        XCTAssertEqual(Set(history.dropFirst().compactMap { $0["message"] as? String }), Set((0..<8).map { "admin \($0)" }))
        let last = try XCTUnwrap(history.last?["message"] as? String)
        let lastDirectory = directories[try XCTUnwrap(Int(last.dropFirst("admin ".count)))]
        XCTAssertEqual(
            try outboundctl(["plan", lastDirectory.path, "--store", store, "--detailed-exitcode"]).status, 0, "the last apply's files stand")

        for (index, directory) in directories.enumerated() {
            try edit(directory.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva \(index)", with: "name: Ana Silva again \(index)")
        }
        let guarded = try applyAll(["--expect-revision", "9"])
        XCTAssertEqual(guarded.filter { $0.status == 0 }.count, 1, guarded.map(\.stderr).joined(separator: "\n"))
        for refused in guarded where refused.status != 0 {
            XCTAssertEqual(refused.status, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("the store moved"), refused.stderr)
        }
        XCTAssertEqual(try outboundctl(["history", "--store", store, "--format", "json"]).json.flatMap { $0["revisions"] as? [Any] }?.count, 10)
    }

    /// The sessions holding the schema's apply lock (`pg_advisory_xact_lock(hashtext('outboundctl:SCHEMA'))`,
    /// a bigint key: its low 32 bits are `objid`), one pid a line; `writing`: only those whose
    /// transaction has written (it has a transaction id).
    private func applyLockHolders(writing: Bool = false) throws -> [String] {
        let sql = """
            SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.objid::bigint = (hashtext('outboundctl:\(schema)')::bigint & 4294967295)\(writing ? " AND a.backend_xid IS NOT NULL" : "")
            """
        return try TestPostgres.psql(sql).split(separator: "\n").map(String.init)
    }

    /// `--lock-timeout` bounds the wait for another apply: exit 3, "another apply holds the store".
    func testALockHeldPastTheTimeoutIsExit3() throws {
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        // A session of psql holds the schema's apply lock until this test ends it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "psql", "--no-psqlrc", "--quiet", "--dbname=\(try TestPostgres.server().url)",
            "--command=BEGIN; SELECT pg_advisory_xact_lock(hashtext('outboundctl:\(schema)')); SELECT pg_sleep(600); COMMIT;",
        ]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer {
            // Should the test stop early, psql's session is ended too, not left sleeping with the lock.
            for pid in (try? applyLockHolders()) ?? [] { _ = try? TestPostgres.psql("SELECT pg_terminate_backend(\(pid))") }
            if holder.isRunning { holder.terminate() }
        }
        var holders: [String] = []
        XCTAssertTrue(
            try eventually(within: 30) {
                holders = try applyLockHolders()
                return !holders.isEmpty || !holder.isRunning
            }, "psql took the apply lock")
        guard let held = holders.first else { return XCTFail("psql did not take the apply lock (it exited \(holder.terminationStatus))") }
        let copy = try copyExample("acme", self)
        try edit(copy.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva", with: "name: Ana S.")
        let blocked = try outboundctl(["apply", copy.path, "--store", store, "--lock-timeout", "1"])
        XCTAssertEqual(blocked.status, 3, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("another apply holds the store"), blocked.stderr)
        XCTAssertEqual(try applyLockHolders(), [held], "psql held the lock from before the contender started until it gave up")
        // Ending psql's session ends its transaction and the lock.
        XCTAssertEqual(try TestPostgres.psql("SELECT pg_terminate_backend(\(held))"), "t")
        holder.waitUntilExit()
        XCTAssertTrue(try eventually(within: 10) { try applyLockHolders().isEmpty }, "the lock is free once psql's session is gone")
        XCTAssertEqual(try outboundctl(["apply", copy.path, "--store", store, "--lock-timeout", "1"]).status, 0)
    }

    /// kill -9 of an apply of the 50,000-agent tenant leaves the previous revision whole, and
    /// the next apply is clean.
    func testKillDuringABigApplyLeavesThePreviousRevision() throws {
        let tenant = try temporaryDirectory(self)
        try generateTenant(agents: 50_000, into: tenant)
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let view = "SELECT agent_id, team_id, channel, available, reasons, revision FROM outbound_availability ORDER BY 1, 2, 3"
        let before = try TestPostgres.psql(view, schema: schema)
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("outboundctl")
        process.arguments = ["apply", tenant.path, "--store", store, "--yes"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once its transaction, holding the apply lock, has begun writing (it has a transaction id).
        let writing = try eventually(within: 120, every: 0.02) { try !applyLockHolders(writing: true).isEmpty || !process.isRunning }
        XCTAssertTrue(writing, "the apply began writing within 120 s")
        XCTAssertTrue(process.isRunning, "the apply was still running when it began writing (killed mid-apply)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "killed, not finished")
        XCTAssertTrue(try eventually(within: 10) { try applyLockHolders().isEmpty }, "the server ends the dead session's transaction and its lock")
        let history = try outboundctl(["history", "--store", store, "--format", "json"])
        XCTAssertEqual((history.json?["revisions"] as? [Any])?.count, 1, history.stdout)
        XCTAssertEqual(try outboundctl(["plan", "examples/acme", "--store", store, "--detailed-exitcode"]).status, 0, "revision 1 intact")
        XCTAssertEqual(try TestPostgres.psql(view, schema: schema), before)
        let again = try outboundctl(["apply", tenant.path, "--store", store, "--yes"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Applied revision 2"), again.stdout)
    }

    /// The server stopped during an apply: exit 3 naming host, port and database, nothing
    /// half-written, and a clean apply once it is back.
    func testTheServerStoppedDuringAnApply() throws {
        let server = try TestPostgres.startPrivate().get()
        let store = server.url(schema: "outboundctl")
        let tenant = try temporaryDirectory(self)
        try generateTenant(agents: 20_000, into: tenant)
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("outboundctl")
        process.arguments = ["apply", tenant.path, "--store", store, "--yes"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        XCTAssertTrue(
            eventually(within: 120) {
                (try? TestPostgres.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", url: server.url)) == "1"
            }, "the apply took the lock")
        try server.run(server.stopCommand)
        let ended = eventually(within: 60) { !process.isRunning }
        if !ended { process.terminate() }
        XCTAssertTrue(ended, "the apply ends when its server goes")
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 3, said)
        XCTAssertTrue(said.contains("localhost:\(server.port ?? 0)/outboundctl"), "names host, port and database: \(said)")
        try server.run(server.startCommand)
        let history = try outboundctl(["history", "--store", store, "--format", "json"])
        XCTAssertEqual((history.json?["revisions"] as? [Any])?.count, 1, "nothing half-written: \(history.stdout) \(history.stderr)")
        XCTAssertEqual(try outboundctl(["plan", "examples/acme", "--store", store, "--detailed-exitcode"]).status, 0)
        let again = try outboundctl(["apply", tenant.path, "--store", store, "--yes"])
        XCTAssertEqual(again.status, 0, again.stderr)
        try server.run(server.stopCommand)
    }

    /// SQLite → PostgreSQL → SQLite: history, export and explain of each copy equal the
    /// original's; each copy has an identity of its own, so a saved plan is refused there; a
    /// store that has revisions is not copied into.
    func testStoreCopyRoundTrip() throws {
        let directory = try temporaryDirectory(self)
        let original = directory.appendingPathComponent("original.sqlite").path
        let back = directory.appendingPathComponent("back.sqlite").path
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", original, "--message", "one", "--author", "ana"]).status, 0)
        try edit(acme.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva", with: "name: Ana S.")
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", original, "--message", "two", "--author", "rui"]).status, 0)
        let plan = directory.appendingPathComponent("saved.plan").path
        try edit(acme.appendingPathComponent("agents.yaml"), replacing: "name: Ana S.", with: "name: Ana Silva")
        XCTAssertEqual(try outboundctl(["plan", acme.path, "--store", original, "--out", plan]).status, 0)

        let there = try outboundctl(["store", "copy", original, store, "--format", "json"])
        XCTAssertEqual(there.status, 0, there.stderr)
        XCTAssertEqual(there.json?["revisions"] as? Int, 2)
        let home = try outboundctl(["store", "copy", store, back])
        XCTAssertEqual(home.status, 0, home.stderr)
        XCTAssertTrue(home.stdout.contains("Copied 2 revisions"), home.stdout)
        func export(_ target: String) throws -> [String: String] {
            let out = try temporaryDirectory(self).appendingPathComponent("export")
            XCTAssertEqual(try outboundctl(["export", "--out", out.path, "--store", target]).status, 0)
            var files: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
                files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            }
            return files
        }
        for copy in [store, back] {
            for command in [["history", "--format", "json"], ["explain", "ana.silva", "--format", "json"], ["matrix", "--format", "csv"]] {
                XCTAssertEqual(
                    try outboundctl(command + ["--store", copy]).stdout, try outboundctl(command + ["--store", original]).stdout,
                    "\(command) on \(copy)")
            }
            XCTAssertEqual(try export(copy), try export(original))
            let refused = try outboundctl(["apply", "--plan", plan, "--store", copy, "--yes"])
            XCTAssertEqual(refused.status, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("made for another store"), refused.stderr)
        }
        XCTAssertEqual(try outboundctl(["apply", "--plan", plan, "--store", original, "--yes"]).status, 0, "the plan stands on its own store")
        let full = try outboundctl(["store", "copy", original, store])
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("already has revisions"), full.stderr)
    }

    /// The view answers as SQLite's, row for row, and a desktop back end reads it with a role
    /// that may read nothing else.
    func testTheViewAnswersAsOnSQLiteAndAReadOnlyRoleReadsIt() throws {
        let sqliteStore = try temporaryDirectory(self).appendingPathComponent("outbound.sqlite").path
        for target in [store, sqliteStore] { XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", target]).status, 0) }
        let query =
            "SELECT agent_id, team_id, channel, available, reasons, revision, until FROM outbound_availability ORDER BY agent_id, team_id, channel"
        let rows = try TestPostgres.psql(query, schema: schema)
        XCTAssertFalse(rows.isEmpty)
        XCTAssertEqual(rows, try sqlite(sqliteStore, query).trimmingCharacters(in: .whitespacesAndNewlines))
        let columns = try TestPostgres.psql(
            """
            SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = '\(schema)' AND table_name = 'outbound_availability'
            """)
        XCTAssertEqual(columns, "agent_id:text,team_id:text,channel:text,available:integer,reasons:text,revision:integer,until:text")

        let role = "reader_\(schema)"
        try TestPostgres.psql(
            """
            CREATE ROLE \(role) LOGIN PASSWORD 'reader-secret';
            GRANT USAGE ON SCHEMA "\(schema)" TO \(role);
            GRANT SELECT ON "\(schema)".outbound_availability TO \(role);
            """)
        addTeardownBlock { [schema] in _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE; DROP ROLE IF EXISTS \(role)") }
        let server = try TestPostgres.server()
        let url = server.url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role):reader-secret@")
        XCTAssertEqual(try TestPostgres.psql(query, schema: schema, url: url), rows)
        XCTAssertThrowsError(
            try TestPostgres.psql("SELECT count(*) FROM revisions", schema: schema, url: url), "the tables stay closed to the reader")
        XCTAssertThrowsError(try TestPostgres.psql("DELETE FROM outbound_availability", schema: schema, url: url))
    }

    /// Wrong port, wrong password, missing database: exit 3 naming host, port and database,
    /// never the password. A schema that is not an id is refused before any connection.
    func testConnectionFailuresAreExit3AndNameTheStore() throws {
        let server = try TestPostgres.server()
        let tcp = try XCTUnwrap(server.tcpURL, "needs the throwaway server's TCP URL")
        let port = try XCTUnwrap(server.port)
        let cases: [(String, String, String)] = [
            ("postgres://postgres:hunter2-secret@127.0.0.1:1/outboundctl", "127.0.0.1:1/outboundctl", "connection refused"),
            (tcp.replacingOccurrences(of: "postgres@", with: "postgres:hunter2-secret@"), "127.0.0.1:\(port)/outboundctl", "refused user 'postgres'"),
            ("postgres://postgres:postgres@127.0.0.1:\(port)/nowhere", "127.0.0.1:\(port)/nowhere", "'nowhere' does not exist"),
        ]
        for (url, named, why) in cases {
            for command in [["history"], ["apply", "examples/acme"]] {
                let result = try outboundctl(command + ["--store", url])
                XCTAssertEqual(result.status, 3, "\(command) \(named): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains(named), result.stderr)
                XCTAssertTrue(result.stderr.contains(why), result.stderr)
                XCTAssertFalse(result.stderr.contains("hunter2") || result.stdout.contains("hunter2"), result.stderr)
                XCTAssertFalse(result.stderr.contains(":postgres@"), "no password: \(result.stderr)")
            }
        }
        let fromEnvironment = try outboundctl(["history", "--store", tcp], environment: ["PGPASSWORD": "postgres"])
        XCTAssertEqual(fromEnvironment.status, 3, "authenticated with PGPASSWORD, then no store there: \(fromEnvironment.stderr)")
        XCTAssertTrue(fromEnvironment.stderr.contains("no store at"), fromEnvironment.stderr)
        for bad in ["Bad", "a;drop", "-x", String(repeating: "a", count: 64)] {
            let result = try outboundctl(["history", "--store", server.url + (server.url.contains("?") ? "&" : "?") + "schema=\(bad)"])
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("is not a valid name"), result.stderr)
        }
    }
}
