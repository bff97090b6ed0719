import Foundation
import XCTest

/// `webex pull` through the real binary against the fake Webex Contact Center API
/// (FakeWebexServer), which checks every request against Cisco's OpenAPI document and logs it:
/// what is pulled imports as the seeded export does, every page is read, the pace and the
/// waits hold, failures end in exit 3 with nothing written, and the token shows nowhere.
final class WebexPullTests: XCTestCase {
    private let seeded = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant")
    private let lists = [
        "multimedia-profile", "site", "team", "user", "user-profile", "agent-profile", "entry-point", "contact-service-queue", "auxiliary-code",
    ]

    /// The API path of each list (SPEC §10).
    private func listPath(_ list: String) -> String {
        "/organization/\(FakeWebexServer.org)/\(list == "user-profile" ? "v3" : "v2")/\(list)"
    }

    private func pull(_ fake: FakeWebexServer, into out: URL, _ extra: [String] = [], environment: [String: String] = [:]) throws -> RunResult {
        try outboundctl(["webex", "pull", "--out", out.path] + fake.connection + extra, environment: environment)
    }

    /// Every request the fake saw was valid under Cisco's document and authorised.
    private func assertEveryRequestValid(_ fake: FakeWebexServer, line: UInt = #line) {
        let requests = fake.requests
        XCTAssertFalse(requests.isEmpty, line: line)
        for request in requests {
            XCTAssertTrue(request["invalid"] is NSNull || request["invalid"] == nil, "\(request)", line: line)
            XCTAssertEqual(request["auth"] as? String, "ok", "\(request)", line: line)
        }
    }

    /// The files `import webex` writes from `export`, by name.
    private func imported(_ export: URL) throws -> [String: String] {
        let out = try temporaryDirectory(self).appendingPathComponent("config")
        let result = try outboundctl(["import", "webex", export.path, "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    private func files(in directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    func testAPulledTenantImportsAsItsExportDoesAndPullsToTheSameBytes() throws {
        let fake = try FakeWebexServer(export: seeded, ["--page-cap", "50"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(fake, into: raw, ["--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(result.json, result.stdout)
        XCTAssertEqual(Set(try files(in: raw).keys), Set(lists.map { "\($0).json" }))
        XCTAssertEqual(try imported(raw), try imported(seeded))
        assertEveryRequestValid(fake)

        // Every page of every list was asked for and answered: the fake caps pages at 50,
        // so the 200 users of the export are 4 pages (pages from 0), whatever --page-size says.
        let answered = fake.requests.filter { $0["status"] as? Int == 200 }
        for list in lists {
            let pages = answered.filter { $0["path"] as? String == listPath(list) }.compactMap { ($0["query"] as? [String: Any])?["page"] as? String }
            let reported = try XCTUnwrap((report["lists"] as? [[String: Any]])?.first { $0["resource"] as? String == list })
            XCTAssertEqual(pages.sorted { Int($0)! < Int($1)! }, (0..<(reported["pages"] as! Int)).map(String.init), list)
        }
        let users = try XCTUnwrap((report["lists"] as? [[String: Any]])?.first { $0["resource"] as? String == "user" })
        XCTAssertEqual(users["pages"] as? Int, 4)
        // Queues come without their distribution groups in the list and are read whole.
        let queueReads = answered.filter { ($0["path"] as? String ?? "").hasPrefix("/organization/\(FakeWebexServer.org)/contact-service-queue/") }
        let queues = try XCTUnwrap((report["lists"] as? [[String: Any]])?.first { $0["resource"] as? String == "contact-service-queue" })
        XCTAssertEqual(queueReads.count, queues["items"] as? Int)
        XCTAssertEqual(queues["readWhole"] as? Int, queueReads.count)
        XCTAssertGreaterThan(queueReads.count, 0)

        // Items are sorted by id in each file.
        let pulledUsers = try JSONSerialization.jsonObject(with: try Data(contentsOf: raw.appendingPathComponent("user.json"))) as! [String: Any]
        let ids = (pulledUsers["data"] as! [[String: Any]]).map { $0["id"] as! String }
        XCTAssertEqual(ids, ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        XCTAssertEqual(ids.count, 200)

        // A second pull of the unchanged tenant writes the same bytes.
        let again = try temporaryDirectory(self).appendingPathComponent("raw")
        XCTAssertEqual(try pull(fake, into: again, ["-q"]).status, 0)
        XCTAssertEqual(try files(in: again), try files(in: raw))
    }

    func testAWrongTokenIsExitThreeAndWritesNothing() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let wrong = "wrong-token-Hk29sLq7"
        let result = try outboundctl(
            ["webex", "pull", "--out", raw.path, "--org", FakeWebexServer.org, "--api", fake.baseURL, "--format", "json"],
            environment: ["WEBEX_TOKEN": wrong])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stderr.contains("the token was refused"), result.stderr)
        XCTAssertTrue(result.stderr.contains("401"), result.stderr)
        XCTAssertEqual((result.json?["error"] as? [String: Any])?["code"] as? String, "token-refused")
        XCTAssertFalse(FileManager.default.fileExists(atPath: raw.path))
        XCTAssertFalse(result.stdout.contains(wrong) || result.stderr.contains(wrong))
        XCTAssertEqual(fake.requests.map { $0["auth"] as? String }.first, "wrong")
        // Nothing was left beside the target either.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: raw.deletingLastPathComponent().path), [])
    }

    func testTheTokenAppearsNowhere() throws {
        let fake = try FakeWebexServer(export: seeded, ["--fault-at", "2=500,3=drop"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        // From the environment: the process's arguments hold no token.
        let result = try outboundctl(
            ["webex", "pull", "--out", raw.path, "--org", FakeWebexServer.org, "--api", fake.baseURL, "--format", "json"],
            environment: ["WEBEX_TOKEN": FakeWebexServer.token])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains(FakeWebexServer.token))
        XCTAssertFalse(result.stderr.contains(FakeWebexServer.token))
        for (name, data) in try files(in: raw) {
            XCTAssertNil(String(decoding: data, as: UTF8.self).range(of: FakeWebexServer.token), name)
        }
        // And an error names the request, never the token.
        let failing = try FakeWebexServer(export: seeded, ["--faults", "500:1"], test: self)
        let failed = try pull(failing, into: raw.deletingLastPathComponent().appendingPathComponent("other"), ["--timeout", "2"])
        XCTAssertEqual(failed.status, 3, failed.stderr)
        XCTAssertFalse(failed.stderr.contains(FakeWebexServer.token) || failed.stdout.contains(FakeWebexServer.token))
    }

    func testA429IsWaitedOutAsItsHeaderSays() throws {
        // Request 2 gets 429 with Retry-After: 2 (seconds), request 4 one with an HTTP date.
        let fake = try FakeWebexServer(export: seeded, ["--fault-at", "2=429s2,4=429date"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(fake, into: raw, ["--rate", "6000"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let requests = fake.requests.sorted { ($0["n"] as! Int) < ($1["n"] as! Int) }
        XCTAssertEqual(requests.first { $0["n"] as? Int == 2 }?["status"] as? Int, 429)
        XCTAssertEqual(requests.first { $0["n"] as? Int == 4 }?["status"] as? Int, 429)
        // Nothing is sent while a 429's wait lasts, by any list (requests already on their way
        // when the 429 came may arrive just after it).
        let refused = [requests.first { $0["n"] as? Int == 2 }!, requests.first { $0["n"] as? Int == 4 }!]
        for (request, wait) in zip(refused, [1.95, 0.95]) {
            let sent = request["time"] as! Double
            let during = requests.filter { ($0["time"] as! Double) > sent + 0.5 && ($0["time"] as! Double) < sent + wait }
            XCTAssertEqual(during.count, 0, "requests during the wait of \(request): \(during)")
            let retry = requests.first { ($0["n"] as! Int) > (request["n"] as! Int) && $0["path"] as? String == request["path"] as? String }
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(retry?["time"] as? Double) - sent, wait)
        }
        assertEveryRequestValid(fake)
    }

    func testTheRateHoldsOverAnyTenSecondWindowRetriesIncluded() throws {
        let fake = try FakeWebexServer(export: seeded, ["--page-cap", "20", "--fault-at", "3=503,7=drop,9=500"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let rate = 120
        let result = try pull(fake, into: raw, ["--rate", "\(rate)", "--page-size", "20"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let times = fake.requests.compactMap { $0["time"] as? Double }.sorted()
        XCTAssertGreaterThan(times.last! - times.first!, 10, "the run spans more than one window")
        var most = 0
        for (index, start) in times.enumerated() {
            most = max(most, times[index...].prefix { $0 <= start + 10 }.count)
        }
        XCTAssertLessThanOrEqual(most, rate / 6 + 2)
        XCTAssertGreaterThanOrEqual(most, rate / 6 - 2, "paced near the rate, not far under it")
        XCTAssertEqual(fake.requests.filter { $0["fault"] as? String != nil && !($0["fault"] is NSNull) }.count, 3)
    }

    func testFailuresAreRetriedAndThenEndInExitThreeNamingTheRequest() throws {
        // A dropped connection, a 500, a 503, a stalled answer, an empty page before the last,
        // garbage and JSON nested too deep: each is retried, and the pull completes.
        let fake = try FakeWebexServer(
            export: seeded, ["--page-cap", "50", "--fault-at", "1=drop,2=500,4=503,5=stall,6=garbage,8=deep,10=empty"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(fake, into: raw, ["--timeout", "2", "--rate", "6000"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try imported(raw), try imported(seeded))

        // Past the retries: exit 3 with method, path, status and Cisco's trackingId; nothing written.
        let failing = try FakeWebexServer(export: seeded, ["--faults", "503:1"], test: self)
        let other = try temporaryDirectory(self).appendingPathComponent("raw")
        let failed = try pull(failing, into: other, ["--rate", "6000"])
        XCTAssertEqual(failed.status, 3, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("GET /organization/\(FakeWebexServer.org)/v"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("503"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("trackingId"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other.path))
        // Six tries of the request that failed, the first and five retries; no more of any. The
        // lists are read together, so the others had fewer when the first ran out.
        var tries: [String: Int] = [:]
        for request in failing.requests {
            let query = try JSONSerialization.data(withJSONObject: request["query"]!, options: .sortedKeys)
            tries["\(request["path"]!) \(String(decoding: query, as: UTF8.self))", default: 0] += 1
        }
        XCTAssertEqual(tries.values.max(), 6, "\(tries) \(failed.stderr)")
    }

    func testAListThatMovesWhileReadIsReadAgainOnceThenRefused() throws {
        let once = try FakeWebexServer(export: seeded, ["--page-cap", "50", "--moving", "user:1"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(once, into: raw, ["--rate", "6000", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let users = try XCTUnwrap((result.json?["lists"] as? [[String: Any]])?.first { $0["resource"] as? String == "user" })
        XCTAssertEqual(users["readAgain"] as? Bool, true)

        let twice = try FakeWebexServer(export: seeded, ["--page-cap", "50", "--moving", "user:2"], test: self)
        let other = try temporaryDirectory(self).appendingPathComponent("raw")
        let refused = try pull(twice, into: other, ["--rate", "6000"])
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the tenant changed during the pull"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other.path))
    }

    func testAnEmptyDanglingOrCurrentOutIsRefusedBeforeAnyRequest() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let base = try temporaryDirectory(self)
        let empty = try outboundctl(["webex", "pull", "--out", "", "--force"] + fake.connection)
        XCTAssertEqual(empty.status, 64, empty.stderr)
        let dangling = base.appendingPathComponent("raw")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: base.appendingPathComponent("nowhere").path)
        let refused = try pull(fake, into: dangling)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("does not exist"), refused.stderr)
        let here = try outboundctl(["webex", "pull", "--out", ".", "--force"] + fake.connection, in: base)
        XCTAssertEqual(here.status, 1, here.stderr)
        XCTAssertTrue(here.stderr.contains("current directory"), here.stderr)
        XCTAssertEqual(fake.requests.count, 0)
        XCTAssertEqual(try outboundctl(["import", "webex", seeded.path, "--out", ""]).status, 64)
    }

    func testForceKeepsTheDirectorysPermissions() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try write(["extra.yaml": "tenant: { name: Harbor Logistics }\n"], to: raw)
        XCTAssertEqual(try pull(fake, into: raw, ["--force", "--rate", "6000", "-q"]).status, 0)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: raw.path)[.posixPermissions] as? Int, 0o700)
    }

    func testAnOrganisationTheTenantDoesNotKnowSaysToCheckOrg() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try outboundctl(
            ["webex", "pull", "--out", raw.path, "--org", "not-this-org", "--api", fake.baseURL, "--token-file", fake.tokenFile.path])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stderr.contains("404"), result.stderr)
        XCTAssertTrue(result.stderr.contains("is --org right?"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: raw.path))
    }

    func testPlainHTTPToAnotherMachineIsRefusedBeforeAnyRequest() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let port = fake.baseURL.split(separator: ":").last!
        for api in ["http://10.255.255.1:\(port)", "http://example.com", "ftp://127.0.0.1:\(port)", "http://user:secret@127.0.0.1:\(port)"] {
            let result = try outboundctl(
                ["webex", "pull", "--out", raw.path, "--org", FakeWebexServer.org, "--api", api, "--token-file", fake.tokenFile.path])
            XCTAssertEqual(result.status, 64, "\(api): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--api"), result.stderr)
            XCTAssertFalse(result.stderr.contains("secret"), result.stderr)
        }
        XCTAssertEqual(fake.requests.count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: raw.path))
    }

    func testANonEmptyDirectoryIsRefusedWithoutForceAndKeepsOtherFilesWithIt() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        try write(["extra.yaml": "tenant: { name: Harbor Logistics }\n", "user.9.json": "[]"], to: raw)
        let refused = try pull(fake, into: raw)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(fake.requests.count, 0, "refused before any request")

        let forced = try pull(fake, into: raw, ["--force", "--rate", "6000"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: raw.path))
        XCTAssertEqual(names, Set(lists.map { "\($0).json" } + ["extra.yaml"]), "a page of an earlier pull is gone, extra.yaml is kept")
    }

    /// A copy of the seeded export with `change` made to the item at `index` of user.json.
    private func exportChangingUser(at index: Int, _ change: (inout [String: Any]) -> Void) throws -> URL {
        let export = try temporaryDirectory(self).appendingPathComponent("export")
        try FileManager.default.copyItem(at: seeded, to: export)
        let file = export.appendingPathComponent("user.json")
        var page = try JSONSerialization.jsonObject(with: try Data(contentsOf: file)) as! [String: Any]
        var users = page["data"] as! [[String: Any]]
        change(&users[index])
        page["data"] = users
        try JSONSerialization.data(withJSONObject: page).write(to: file)
        return export
    }

    func testAnItemCiscosSchemaRefusesInAReadFieldIsALocatedErrorAndNothingIsWritten() throws {
        // The 60th user: page 1 (from 0) of 50, its 10th item.
        let export = try exportChangingUser(at: 59) { $0["email"] = 42 }
        let fake = try FakeWebexServer(export: export, ["--page-cap", "50"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(fake, into: raw, ["--rate", "6000", "--format", "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("v2/user?page=1: $.data[9].email: error:"), result.stderr)
        // Named by its id too: the page's order is not the written file's.
        let user = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: try Data(contentsOf: export.appendingPathComponent("user.json"))) as? [String: Any])?["data"]
                as? [[String: Any]])[59]
        XCTAssertTrue(result.stderr.contains("(the item with id \"\(user["id"] as! String)\")"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: raw.path))
        XCTAssertEqual((result.json?["error"] as? [String: Any])?["code"] as? String, "invalid-items")
        let problems = try XCTUnwrap(result.json?["problems"] as? [[String: Any]])
        XCTAssertTrue(
            problems.contains { $0["file"] as? String == "v2/user?page=1" && $0["jsonPath"] as? String == "$.data[9].email" }, "\(problems)")
    }

    func testAWrongTypeOrNullInAFieldTheMappingDoesNotReadIsPulledWithAWarning() throws {
        let export = try exportChangingUser(at: 3) { user in
            user["createdTime"] = NSNull()
            user["xspVersion"] = 7
        }
        let fake = try FakeWebexServer(export: export, ["--page-cap", "50"], test: self)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let result = try pull(fake, into: raw, ["--rate", "6000", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("v2/user?page=0: $.data[3].createdTime: warning:"), result.stderr)
        let warnings = try XCTUnwrap(result.json?["warnings"] as? [[String: Any]])
        XCTAssertTrue(warnings.contains { $0["jsonPath"] as? String == "$.data[3].xspVersion" }, "\(warnings)")
        // The item is written as the tenant sent it.
        let pulled = try JSONSerialization.jsonObject(with: try Data(contentsOf: raw.appendingPathComponent("user.json"))) as! [String: Any]
        let user = try XCTUnwrap((pulled["data"] as! [[String: Any]]).first { $0["xspVersion"] as? Int == 7 })
        XCTAssertTrue(user["createdTime"] is NSNull)
    }

    func testOnATerminalAStatusLineShowsRequestsPagesAndWaitsAndQuietSilencesIt() throws {
        let fake = try FakeWebexServer(export: seeded, ["--page-cap", "20", "--fault-at", "3=429s2"], test: self)
        let base = try temporaryDirectory(self)
        let shown = try outboundctlOnTerminal(["webex", "pull", "--out", base.appendingPathComponent("a").path, "--rate", "600"] + fake.connection)
        XCTAssertTrue(shown.contains("pages read"), shown)
        XCTAssertTrue(shown.contains("waiting"), shown)
        XCTAssertTrue(shown.contains("429"), shown)
        // The line is erased before the result is printed.
        XCTAssertTrue(shown.contains("\r\u{1B}[2K"), shown)
        XCTAssertTrue(shown.contains("Pulled "), shown)
        XCTAssertTrue(shown.contains("Next: outboundctl import webex "), shown)
        XCTAssertFalse(shown.contains(FakeWebexServer.token))

        let quiet = try outboundctlOnTerminal(
            ["webex", "pull", "-q", "--out", base.appendingPathComponent("b").path, "--rate", "6000"] + fake.connection)
        XCTAssertFalse(quiet.contains("pages read"), quiet)
        XCTAssertFalse(quiet.contains("Pulled "), quiet)
    }

    /// The README's path: pull, import (extra.yaml fills what the API does not hold), validate,
    /// plan and apply to a store; a second pull and import plans to no change.
    func testPullImportValidatePlanApplyAdoptsTheTenant() throws {
        let fake = try FakeWebexServer(export: seeded, test: self)
        let base = try temporaryDirectory(self)
        let raw = base.appendingPathComponent("raw")
        let config = base.appendingPathComponent("config")
        let store = base.appendingPathComponent("outbound.sqlite").path
        XCTAssertEqual(try pull(fake, into: raw, ["--rate", "6000", "-q"]).status, 0)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/extra.yaml"), to: raw.appendingPathComponent("extra.yaml"))
        let imported = try outboundctl(["import", "webex", raw.path, "--out", config.path, "-q"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let validated = try outboundctl(["validate", config.path])
        XCTAssertEqual(validated.status, 0, validated.stdout + validated.stderr)
        let applied = try outboundctl(["apply", config.path, "--store", store, "-m", "adopt the tenant", "--yes", "-q"])
        XCTAssertEqual(applied.status, 0, applied.stderr)

        // The tenant unchanged: pulled again over the same directory (extra.yaml kept), it plans to nothing.
        XCTAssertEqual(try pull(fake, into: raw, ["--rate", "6000", "-q", "--force"]).status, 0)
        XCTAssertEqual(try outboundctl(["import", "webex", raw.path, "--out", config.path, "--force", "-q"]).status, 0)
        let planned = try outboundctl(["plan", config.path, "--store", store, "--detailed-exitcode"])
        XCTAssertEqual(planned.status, 0, planned.stdout + planned.stderr)
    }

    /// An answer whose head comes at once and whose body trickles a byte every 0.2 s ends at
    /// `--timeout` like one that never starts: each of the six tries is cut there, and the
    /// pull ends in exit 3 instead of waiting as long as the bytes keep coming.
    func testAnAnswerTrickledAByteAtATimeEndsAtTheTimeout() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [
            "python3", "-c",
            """
            import socket, sys, threading, time
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(16)
            print(listener.getsockname()[1], flush=True)
            def trickle(connection):
                try:
                    connection.recv(65536)
                    connection.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 100000\\r\\n\\r\\n")
                    while True:
                        connection.sendall(b" ")
                        time.sleep(0.2)
                except OSError:
                    pass
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=trickle, args=(connection,), daemon=True).start()
            """,
        ]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        addTeardownBlock {
            server.terminate()
            server.waitUntilExit()
        }
        let port = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotNil(Int(port), port)
        let token = try temporaryDirectory(self).appendingPathComponent("token")
        try "t\n".write(to: token, atomically: true, encoding: .utf8)
        let raw = try temporaryDirectory(self).appendingPathComponent("raw")
        let started = Date()
        let result = try outboundctl([
            "webex", "pull", "--out", raw.path, "--org", "o", "--api", "http://127.0.0.1:\(port)", "--token-file", token.path,
            "--timeout", "1",
        ])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stderr.contains("no answer from http://127.0.0.1:\(port) within 1 s"), result.stderr)
        XCTAssertTrue(result.stderr.contains("after 6 tries"), result.stderr)
        // Six tries of a second and the waits between them (under 16 s), not the 100,000 bytes' 5 hours.
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        XCTAssertFalse(FileManager.default.fileExists(atPath: raw.path))
    }
}
