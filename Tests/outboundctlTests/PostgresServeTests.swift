import Foundation
import PostgresTestSupport
import XCTest

/// `serve` on a PostgreSQL store: it hears of an apply made by another process through
/// LISTEN/NOTIFY and serves it within a second; notices of other schemas (other tenants in
/// the same database) change nothing.
final class PostgresServeTests: XCTestCase {
    func testServeSeesAnApplyFromAnotherProcessWithinASecond() throws {
        let schema = TestPostgres.uniqueSchema("serve")
        let store = try TestPostgres.server().url(schema: schema)
        addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", store]).status, 0)
        let server = try ServeProcess(["--store", store])
        defer { XCTAssertEqual(server.stop(), 0) }
        XCTAssertEqual(try server.get("/v1/status").json["revision"] as? Int, 1)
        XCTAssertTrue(
            eventually(within: 5) {
                (try? TestPostgres.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'outboundctl-listen' AND datname = current_database()")) == "1"
            }, "serve listens for announcements")

        // Another tenant's notice: nothing to load.
        try TestPostgres.psql("SELECT pg_notify('outboundctl_revision', 'someone_else')")
        try edit(acme.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva", with: "name: Ana S.")
        let applied = try outboundctl(["apply", acme.path, "--store", store])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let committed = Date()
        XCTAssertTrue(
            eventually(within: 1) { (try? server.get("/v1/status").json["revision"] as? Int) == 2 },
            "revision 2 served within 1 s of its commit")
        XCTAssertLessThan(Date().timeIntervalSince(committed), 1.0)
        XCTAssertTrue(server.stderr.contains("\"revision\":\"2\"") || server.stderr.contains("loaded revision"), server.stderr)
    }
}

/// `serve`'s store reads on request paths answer on PostgreSQL (async, through the pool) byte
/// for byte as on SQLite (blocking, on Dispatch threads), from the same applies.
final class PostgresRequestReadsTests: XCTestCase {
    /// Explains of examples/acme, and feeds older than the serves' memory (they start after the
    /// applies) of a 6,000-agent tenant whose second revision drops agents' second teams: pages
    /// of 10,000 entries followed by cursor, answers of more than 1,000 rows, and removals.
    func testExplainAndOlderChangeFeedsAnswerAsOnSQLite() throws {
        let directory = try temporaryDirectory(self)
        let acme = try copyExample("acme", self)
        let tenant = directory.appendingPathComponent("tenant")
        try generateTenant(agents: 6_000, into: tenant)
        var stores: [String] = []
        for (index, _) in [acme, tenant].enumerated() {
            let schema = TestPostgres.uniqueSchema("reads")
            addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
            stores += [try TestPostgres.server().url(schema: schema), directory.appendingPathComponent("\(index).sqlite").path]
        }
        func apply(_ files: URL, to pair: ArraySlice<String>) throws {
            for store in pair {
                let applied = try outboundctl(["apply", files.path, "--store", store, "--message", "m", "--author", "a"])
                XCTAssertEqual(applied.status, 0, applied.stderr)
            }
        }
        try apply(acme, to: stores[0..<2])
        try edit(acme.appendingPathComponent("agents.yaml"), replacing: "name: Ana Silva", with: "name: Ana S.")
        try apply(acme, to: stores[0..<2])
        try apply(tenant, to: stores[2..<4])
        let agents = tenant.appendingPathComponent("agents-000.yaml")
        let text = try String(contentsOf: agents, encoding: .utf8)
        let dropped = text.replacingOccurrences(of: #"teams: \[(team-[0-9]+), team-[0-9]+\]"#, with: "teams: [$1]", options: .regularExpression)
        XCTAssertNotEqual(dropped, text, "some agents are in two teams")
        try dropped.write(to: agents, atomically: true, encoding: .utf8)
        try apply(tenant, to: stores[2..<4])

        let servers = try stores.map { try ServeProcess(["--store", $0]) }
        defer { for server in servers { XCTAssertEqual(server.stop(), 0) } }
        func assertSame(_ path: String, on pair: Int) throws -> [String: Any] {
            let (onPostgres, onSQLite) = (try servers[pair * 2].get(path), try servers[pair * 2 + 1].get(path))
            XCTAssertEqual(onPostgres.status, onSQLite.status, path)
            XCTAssertEqual(onPostgres.text, onSQLite.text, path)
            return onPostgres.json
        }

        var paths = ["/v1/changes?since=0", "/v1/changes?since=1", "/v1/agents/nobody/explain", "/v1/agents/ana.silva/explain?team=nowhere"]
        let rows = try XCTUnwrap(outboundctl(["matrix", "--store", stores[1], "--format", "json"]).json?["rows"] as? [[String: Any]])
        for agent in Set(rows.compactMap { $0["agent"] as? String }).sorted() {
            paths += ["/v1/agents/\(agent)/explain", "/v1/agents/\(agent)/explain?channel=email&date=2100-01-02"]
        }
        for path in paths { _ = try assertSame(path, on: 0) }
        XCTAssertEqual(try servers[0].get("/v1/agents/nobody/explain").errorCode, "agent-not-found")

        for since in [0, 1] {
            var cursor: String?
            var pages = 0
            var (changes, removed) = (0, 0)
            repeat {
                let page = try assertSame("/v1/changes?since=\(since)" + (cursor.map { "&cursor=\($0)" } ?? ""), on: 1)
                changes += (page["changes"] as? [Any])?.count ?? 0
                removed += (page["removed"] as? [Any])?.count ?? 0
                cursor = page["next"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            if since == 0 {
                XCTAssertGreaterThan(pages, 1, "the whole feed takes several pages")
                XCTAssertGreaterThan(changes, 10_000, "answers of more than 1,000 rows")
            } else {
                XCTAssertGreaterThan(removed, 0, "the second revision's removals")
            }
        }
    }
}

/// `serve`'s request reads when its PostgreSQL server goes away and comes back.
final class PostgresOutageTests: XCTestCase {
    /// While the server is down an explain answers 503 `store-unavailable` once no connection
    /// came within the deadline (10 s), not after the pool's own minute, saying why (refused);
    /// checks go on from memory; once the server is back, explain answers again.
    func testExplainIs503WhileTheServerIsDownAndAnswersOnceItIsBack() throws {
        let postgres = try TestPostgres.startPrivate().get()
        let store = postgres.url(schema: "outboundctl")
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let server = try ServeProcess(["--store", store])
        defer { XCTAssertEqual(server.stop(), 0) }
        let explain = "/v1/agents/ana.silva/explain?channel=sms"
        XCTAssertEqual(try server.get(explain).status, 200)

        try postgres.run(postgres.stopCommand)
        func message(_ answer: HTTPAnswer) -> String { (answer.json["error"] as? [String: Any])?["message"] as? String ?? "" }
        var asked = Date()
        var refused = try server.get(explain)
        if message(refused).contains("was lost") {
            // A read that took a pooled connection before the pool saw it close.
            asked = Date()
            refused = try server.get(explain)
        }
        let waited = Date().timeIntervalSince(asked)
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.errorCode, "store-unavailable")
        let message = message(refused)
        XCTAssertTrue(message.contains("no connection to the server within 10 s"), message)
        XCTAssertTrue(message.contains("connection refused") || message.contains("no such socket"), "says why: \(message)")
        XCTAssertFalse(refused.text.contains("password"), refused.text)
        XCTAssertLessThan(waited, 20, "refused after \(waited) s")
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/outbound?channel=sms").status, 200, "checks answer from memory")

        try postgres.run(postgres.startCommand)
        XCTAssertTrue(try eventually(within: 60, every: 0.5) { try server.get(explain).status == 200 }, "explain answers again")
        try postgres.run(postgres.stopCommand)
    }
}

/// Replicas (issue #28): several serves on one PostgreSQL store while admins apply from
/// several processes, a replica paused through revisions, and a burst of explains against a
/// bounded serve.
final class PostgresReplicaTests: XCTestCase {
    var store = ""

    override func setUpWithError() throws {
        let schema = TestPostgres.uniqueSchema("replicas")
        store = try TestPostgres.server().url(schema: schema)
        addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
    }

    /// Follows one replica: every answer's revision, in the order they came, and any failure.
    private final class Follower: @unchecked Sendable {
        let server: ServeProcess
        private let lock = NSLock()
        private var revisions: [Int] = []
        private var failures: [String] = []
        private var stopping = false
        private let done = DispatchGroup()

        init(_ server: ServeProcess) {
            self.server = server
            done.enter()
            Thread.detachNewThread { [self] in
                defer { done.leave() }
                var since = 0
                while !lock.withLock({ stopping }) {
                    do {
                        let feed = try server.get("/v1/changes?since=\(since)&wait=2")
                        let check = try server.get("/v1/agents/ana.silva/outbound")
                        guard feed.status == 200, check.status == 200, let revision = feed.json["revision"] as? Int,
                            let checked = Int(check.header("X-Outbound-Revision") ?? "")
                        else {
                            lock.withLock { failures.append("status \(feed.status)/\(check.status)") }
                            continue
                        }
                        lock.withLock { revisions += [revision, checked] }
                        since = max(since, revision)
                    } catch {
                        lock.withLock { failures.append("\(error)") }
                    }
                }
            }
        }

        func stop() -> (revisions: [Int], failures: [String]) {
            lock.withLock { stopping = true }
            done.wait()
            return lock.withLock { (revisions, failures) }
        }
    }

    /// Three serves on one store while 4 processes apply, 3 rounds: every replica answers
    /// every request, never goes back a revision, reaches the last one, and all three then
    /// give the same change feed from every revision on and the same answers.
    func testThreeReplicasFollowFourApplyingProcesses() throws {
        let store = store
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", store]).status, 0)
        let servers = try (0..<3).map { _ in try ServeProcess(["--store", store]) }
        defer { for server in servers { XCTAssertEqual(server.stop(), 0) } }
        let followers = servers.map(Follower.init)
        let admins = try (0..<4).map { admin -> URL in
            let copy = try temporaryDirectory(self).appendingPathComponent("admin-\(admin)")
            try FileManager.default.copyItem(at: acme, to: copy)
            return copy
        }
        // Each admin turns one agent's outbound on and off, so each revision changes cells.
        let agents = ["ana.silva", "bruno.costa", "carla.mendes", "hugo.pereira"]
        var applied = 0
        for round in 0..<3 {
            let results = ThreadSafeList<RunResult>()
            DispatchQueue.concurrentPerform(iterations: admins.count) { admin in
                let file = admins[admin].appendingPathComponent("agents.yaml")
                let marker = "  \(agents[admin]):"
                let line = marker + (round % 2 == 0 ? "\n    active: false" : "")
                guard var text = try? String(contentsOf: file, encoding: .utf8) else { return }
                text = text.replacingOccurrences(of: marker + "\n    active: false", with: marker).replacingOccurrences(of: marker, with: line)
                try? text.write(to: file, atomically: true, encoding: .utf8)
                if let result = try? outboundctl(["apply", admins[admin].path, "--store", store, "--yes", "--lock-timeout", "60"]) {
                    results.append(result)
                }
            }
            XCTAssertEqual(results.items.count, admins.count)
            for result in results.items {
                XCTAssertEqual(result.status, 0, result.stderr)
                if result.stdout.contains("Applied revision") { applied += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(applied, 4, "the admins' applies made revisions")
        let last = 1 + applied
        for server in servers {
            XCTAssertTrue(eventually(within: 3) { (try? server.get("/v1/status").json["revision"] as? Int) == last }, "every replica reaches \(last)")
        }
        for (index, follower) in followers.enumerated() {
            let (revisions, failures) = follower.stop()
            XCTAssertEqual(failures, [], "replica \(index + 1) answers every request")
            XCTAssertEqual(revisions.last, last, "replica \(index + 1)")
            XCTAssertEqual(revisions, revisions.sorted(), "replica \(index + 1) never goes back a revision")
        }
        for since in 0..<last {
            let feeds = try servers.map { try String(decoding: $0.get("/v1/changes?since=\(since)").body, as: UTF8.self) }
            XCTAssertEqual(Set(feeds).count, 1, "the replicas agree on the changes after revision \(since)")
        }
        for agent in agents {
            let answers = try servers.map { try String(decoding: $0.get("/v1/agents/\(agent)/outbound").body, as: UTF8.self) }
            XCTAssertEqual(Set(answers).count, 1, "the replicas answer \(agent) alike")
        }
    }

    /// A replica paused (SIGSTOP) while two revisions land catches both up in one step when it
    /// goes on, and answers the change feed of both from memory as the store gives it.
    func testAPausedReplicaCatchesUp() throws {
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", store]).status, 0)
        let running = try ServeProcess(["--store", store])
        let paused = try ServeProcess(["--store", store])
        defer {
            paused.signal(SIGCONT)
            XCTAssertEqual(paused.stop(), 0)
            XCTAssertEqual(running.stop(), 0)
        }
        paused.signal(SIGSTOP)
        try edit(acme.appendingPathComponent("agents.yaml"), replacing: "  ana.silva:", with: "  ana.silva:\n    active: false")
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", store, "--yes"]).status, 0)
        try edit(
            acme.appendingPathComponent("organisation.yaml"), replacing: "multimediaProfile: digital-blended", with: "multimediaProfile: voice-only")
        let second = try outboundctl(["apply", acme.path, "--store", store, "--yes"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(eventually(within: 1) { (try? running.get("/v1/status").json["revision"] as? Int) == 3 })
        paused.signal(SIGCONT)
        XCTAssertTrue(eventually(within: 1) { (try? paused.get("/v1/status").json["revision"] as? Int) == 3 }, "caught up within 1 s")
        for since in 0...3 {
            XCTAssertEqual(
                try paused.get("/v1/changes?since=\(since)").body, try running.get("/v1/changes?since=\(since)").body, "the feed after \(since)")
        }
        XCTAssertTrue(paused.stderr.contains("\"cellsChanged\""), "loaded from the change records: \(paused.stderr.suffix(2_000))")
    }

    /// 300 explains at once against a serve allowed 3 store reads, while another session
    /// holds the entities table locked, so every read waits: the serve holds no more than 3
    /// connections for them (plus the loader's and the LISTEN's), refuses what its queue (10)
    /// cannot hold at once with 503 and Retry-After, and answers the rest once the lock goes.
    func testABurstOfExplainsHoldsNoMoreConnectionsThanTheBound() throws {
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let server = try ServeProcess(["--store", store, "--store-reads", "3", "--store-read-queue", "10"])
        defer { XCTAssertEqual(server.stop(), 0) }

        let lock = try TableLock(store: store, table: "entities")
        let held = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'outboundctl%'"
        let samples = ThreadSafeList<Int>()
        let answers = ThreadSafeList<HTTPAnswer>()
        let failures = ThreadSafeList<String>()
        let burst = Self.explains(300, port: server.baseURL.port!, answers: answers, failures: failures)
        // Refusals come at once; the 13 reads running and queued wait for the lock.
        XCTAssertTrue(
            eventually(within: 30) {
                if let count = Int((try? TestPostgres.psql(held)) ?? "") { samples.append(count) }
                return answers.items.count + failures.items.count >= 300 - 13
            }, "the refusals arrive while the lock is held: \(answers.items.count)")
        if let count = Int((try? TestPostgres.psql(held)) ?? "") { samples.append(count) }
        try lock.release()
        burst.wait()

        XCTAssertEqual(failures.items, [])
        XCTAssertEqual(answers.items.count, 300)
        let ok = answers.items.filter { $0.status == 200 }
        let refused = answers.items.filter { $0.status == 503 }
        XCTAssertEqual(ok.count, 13, "the reads running and queued are answered: \(answers.items.map(\.status))")
        XCTAssertEqual(refused.count, 300 - 13)
        for answer in refused {
            XCTAssertEqual(answer.header("Retry-After"), "1")
            XCTAssertEqual((answer.json["error"] as? [String: Any])?["code"] as? String, "store-unavailable")
        }
        XCTAssertGreaterThanOrEqual(samples.items.max() ?? 0, 3, "the reads did hold connections while waiting")
        XCTAssertLessThanOrEqual(samples.items.max() ?? 0, 3 + 2, "connections held: \(samples.items)")
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/explain?channel=sms").status, 200, "answers again after the burst")
    }

    /// Reads waiting on PostgreSQL hold a connection each, up to the bound, and no thread: with
    /// `--store-reads 16`, 40 explains wait on a locked table while the serve's threads stay as
    /// many as before (a read that waited on a thread for its answer would add 16).
    func testReadsWaitingOnTheStoreHoldNoThread() throws {
        XCTAssertEqual(try outboundctl(["apply", "examples/acme", "--store", store]).status, 0)
        let server = try ServeProcess(["--store", store, "--store-reads", "16", "--store-read-queue", "100"])
        defer { XCTAssertEqual(server.stop(), 0) }
        for _ in 0..<20 { XCTAssertEqual(try server.get("/v1/agents/ana.silva/explain?channel=sms").status, 200) }
        let tasks = "/proc/\(server.process.processIdentifier)/task"
        func threads() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: tasks).count }
        let before = try threads()

        let lock = try TableLock(store: store, table: "entities")
        let answers = ThreadSafeList<HTTPAnswer>()
        let failures = ThreadSafeList<String>()
        let burst = Self.explains(40, port: server.baseURL.port!, answers: answers, failures: failures)
        let waiting =
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'outboundctl' AND wait_event_type = 'Lock' AND datname = current_database()"
        XCTAssertTrue(eventually(within: 20) { (try? TestPostgres.psql(waiting)) == "16" }, "16 reads wait on the lock")
        let during = try threads()
        XCTAssertEqual(try TestPostgres.psql(waiting), "16", "no more than the bound")
        try lock.release()
        burst.wait()

        XCTAssertEqual(failures.items, [])
        XCTAssertEqual(answers.items.map(\.status), Array(repeating: 200, count: 40), "every read waited its turn and was answered")
        XCTAssertLessThanOrEqual(during, before + 3, "threads before the burst: \(before), while 16 reads waited: \(during)")
    }

    /// `count` explains at once, each on a raw connection of its own thread.
    private static func explains(
        _ count: Int, port: Int, answers: ThreadSafeList<HTTPAnswer>, failures: ThreadSafeList<String>
    ) -> DispatchGroup {
        let burst = DispatchGroup()
        for index in 0..<count {
            burst.enter()
            Thread.detachNewThread {
                defer { burst.leave() }
                do {
                    let connection = try RawConnection(port: port)
                    let agent = ["ana.silva", "bruno.costa", "eva.rocha"][index % 3]
                    connection.send("GET /v1/agents/\(agent)/explain?channel=sms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    answers.append(try connection.response())
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        return burst
    }
}

/// A table of the store locked by another session (psql) until `release()`: reads of it wait.
private final class TableLock {
    private let locker = Process()
    private let commands = Pipe()

    init(store: String, table name: String) throws {
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locker.arguments = ["psql", "--no-psqlrc", "--quiet", "--dbname=\(try TestPostgres.server().url)"]
        locker.standardInput = commands
        locker.standardOutput = FileHandle.nullDevice
        try locker.run()
        let table = "\"\(store.components(separatedBy: "schema=").last!)\".\(name)"
        commands.fileHandleForWriting.write(Data("BEGIN; LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE;\n".utf8))
        guard
            eventually(
                within: 10,
                {
                    (try? TestPostgres.psql("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = '\(table)'::regclass"))
                        == "1"
                })
        else { throw ServeFailure("\(table) was not locked within 10 s") }
    }

    func release() throws {
        commands.fileHandleForWriting.write(Data("COMMIT;\n".utf8))
        try commands.fileHandleForWriting.close()
        locker.waitUntilExit()
    }
}

/// A list appended to from several threads.
final class ThreadSafeList<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) { lock.withLock { elements.append(element) } }
    var items: [Element] { lock.withLock { elements } }
}
