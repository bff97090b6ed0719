import Foundation
import XCTest

/// What a new admin hit (issue #11), through the real binary: reads that must not write,
/// hostile bytes, limits before work, every error in one run, machine formats that stay
/// parseable, hints that work as printed, and `--help` everywhere.
final class NewUserTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("outbound.sqlite").path }
    private var binary: String { productsDirectory.appendingPathComponent("outboundctl").path }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        // Other users must be able to reach the store in the read-only tests.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    private func applyAcme() throws {
        let applied = try outboundctl(["apply", "examples/acme", "--store", storePath, "-m", "initial"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
    }

    private func checksum(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The read commands, each with the store (and a scratch export directory).
    private var readCommands: [[String]] {
        [
            ["history"], ["matrix"], ["matrix", "--format", "json"], ["explain", "ana.silva"], ["explain", "ana.silva", "--format", "json"],
            ["plan", "examples/launch-day"], ["export", "--out", directory.appendingPathComponent("export-\(UUID().uuidString)").path],
        ]
    }

    // MARK: 1. Reading must not write

    func testReadCommandsLeaveTheStoreFileUnchanged() throws {
        try applyAcme()
        let before = try checksum(storePath)
        let walBefore = try checksum(storePath + "-wal")
        for command in readCommands {
            let run = try outboundctl(command + ["--store", storePath])
            XCTAssertTrue([0, 1].contains(run.status), "\(command): \(run.stderr)")
            XCTAssertEqual(try checksum(storePath), before, "\(command) changed the store file")
            XCTAssertEqual(try checksum(storePath + "-wal"), walBefore, "\(command) changed the store's WAL")
        }
    }

    /// Runs the binary as user `nobody` (who may read the store but not write it or its folder).
    private func runAsNobody(_ arguments: [String]) throws -> RunResult {
        try runProgram("/usr/sbin/runuser", ["-u", "nobody", "--", binary] + arguments)
    }

    func testAUserWhoMayOnlyReadTheStoreCanReadIt() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), "needs runuser (apt-get install util-linux)")
        try applyAcme()
        let before = try checksum(storePath)
        let ownRows = try outboundctl(["matrix", "--format", "json", "--store", storePath]).stdout
        for command in [["history"], ["matrix", "--format", "json"], ["explain", "ana.silva"], ["plan", "examples/acme"]] {
            let run = try runAsNobody(command + ["--store", storePath])
            XCTAssertTrue([0, 1].contains(run.status), "\(command) as nobody: \(run.status) \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("read-only"), run.stderr)
            if command == ["matrix", "--format", "json"] { XCTAssertEqual(run.stdout, ownRows) }
        }
        XCTAssertEqual(try checksum(storePath), before)
        // A store last closed by an older outboundctl has no -wal/-shm files, which nobody may create here.
        for suffix in ["-wal", "-shm"] { try FileManager.default.removeItem(atPath: storePath + suffix) }
        let history = try runAsNobody(["history", "--store", storePath])
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.contains("initial"), history.stdout)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("outbound.sqlite") }
        XCTAssertEqual(left, ["outbound.sqlite"], "a reader left files behind")
        // The owner can still write afterwards.
        let owner = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes"])
        XCTAssertEqual(owner.status, 0, owner.stderr)
    }

    func testReadsDoNotWaitForAnApplyHoldingTheWriteLock() throws {
        try applyAcme()
        // Another connection takes the write lock and holds it until its standard input closes,
        // after every read below: longer than any busy timeout.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE revisions SET message = 'uncommitted' WHERE number = 1")
            print("locked", flush=True)
            sys.stdin.read()
            """, storePath,
        ]
        let out = Pipe()
        let release = Pipe()
        holder.standardOutput = out
        holder.standardInput = release
        try holder.run()
        defer {
            try? release.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        guard waitFor("locked", on: out) else { return XCTFail("the lock holder ended") }
        for command in [["history", "--format", "json"], ["matrix"], ["explain", "bruno.costa", "--channel", "sms"]] {
            let run = try outboundctl(command + ["--store", storePath])
            XCTAssertTrue([0, 1].contains(run.status), "\(command) while locked: \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("locked"), run.stderr)
            if command[0] == "history" {
                XCTAssertEqual((run.json?["revisions"] as? [[String: Any]])?.first?["message"] as? String, "initial", "sees the last commit")
            }
        }
        XCTAssertTrue(holder.isRunning, "the write lock was held during every read")
    }

    func testAnOlderStoreIsReadAsItIsAndMigratedOnlyOnRequest() throws {
        try applyAcme()
        let matrix = try outboundctl(["matrix", "--format", "json", "--store", storePath]).stdout
        // Make it a schema-v1 store, as the first version wrote it.
        _ = try sqlite(storePath, "ALTER TABLE revisions DROP COLUMN snapshot_encoding")
        _ = try sqlite(storePath, "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
        let before = try checksum(storePath)
        let read = try outboundctl(["matrix", "--format", "json", "--store", storePath])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdout, matrix)
        XCTAssertTrue(read.stderr.contains("outboundctl store migrate"), read.stderr)
        XCTAssertEqual(try checksum(storePath), before, "a read migrated the store")
        let migrate = try outboundctl(["store", "migrate", "--store", storePath, "--format", "json"])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertEqual(migrate.json?["migrated"] as? Bool, true)
        XCTAssertFalse(migrate.stderr.contains("warning"), "store migrate does not tell itself to run: \(migrate.stderr)")
        XCTAssertEqual(try sqlite(storePath, "SELECT identifier FROM grdb_migrations ORDER BY identifier"), "v1\nv2\nv3\nv4\n")
        let after = try outboundctl(["history", "--store", storePath])
        XCTAssertEqual(after.status, 0)
        XCTAssertFalse(after.stderr.contains("migrate"), after.stderr)
    }

    // MARK: 2. Hostile bytes never reach the terminal

    private func assertNoControlBytes(_ text: String, _ label: String, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
        XCTAssertTrue(bad.isEmpty, "\(label) printed control characters \(bad.map { String($0.value, radix: 16) })", line: line)
    }

    func testControlCharactersInInputAreShownEscaped() throws {
        let tenant = directory.appendingPathComponent("hostile")
        try write(
            [
                "tenant.yaml": """
                tenant: { name: "Evil \\e]0;pwned\\a Corp", digitalChannels: "enabled\\e[2J" }
                sites:
                  hq: { name: "\\e[31mred\\u009b" }
                teams:
                  t1: { site: "h\\eq\\0" }

                """
            ], to: tenant)
        let binary = directory.appendingPathComponent("binary.yaml")
        try Data([0x73, 0x69, 0x74, 0x65, 0x73, 0x3A, 0x0A, 0x20, 0x20, 0x1B, 0x5D, 0x30, 0x3B, 0x78, 0x07, 0x00, 0xFF, 0x0A]).write(to: binary)
        for path in [tenant.path, binary.path] {
            for format in ["text", "json", "sarif", "github", "junit"] {
                let run = try outboundctl(["validate", path, "--format", format], environment: ["GITHUB_STEP_SUMMARY": ""])
                XCTAssertEqual(run.status, 1, format)
                assertNoControlBytes(run.stdout, "validate \(path) --format \(format)")
                assertNoControlBytes(run.stderr, "validate \(path) --format \(format) (stderr)")
            }
        }
        let text = try outboundctl(["validate", tenant.path])
        XCTAssertTrue(text.stdout.contains("found 'enabled\\x1b[2J'"), text.stdout)
        XCTAssertTrue(text.stdout.contains("unknown site 'h\\x1bq\\x00'"), text.stdout)
        let excerpt = try outboundctl(["validate", binary.path])
        XCTAssertTrue(excerpt.stdout.contains("2 |   \\x1b]0;x\\x07\\x00\\xff\n"), "the binary file's excerpt: \(excerpt.stdout)")
        let json = try XCTUnwrap(try outboundctl(["validate", tenant.path, "--format", "json"]).json)
        let messages = (json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(messages.contains { $0.contains("h\u{1B}q") }, "JSON keeps the value, escaped by JSON itself: \(messages)")
        // Values from the store: a revision's message, shown by history.
        let applied = try outboundctl(["apply", "examples/acme", "--store", storePath, "-m", "x\u{1B}]0;pwned\u{07}\u{1B}[2J"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let history = try outboundctl(["history", "--store", storePath])
        assertNoControlBytes(history.stdout, "history")
        XCTAssertTrue(history.stdout.contains("x\\x1b]0;pwned\\x07\\x1b[2J"), history.stdout)
        // Command-line input echoed in an error.
        let unknown = try outboundctl(["explain", "no\u{1B}[2Jbody", "--store", storePath])
        XCTAssertEqual(unknown.status, 1)
        assertNoControlBytes(unknown.stderr, "explain's error")
    }

    // MARK: 3. Limits hold before work

    /// Runs the binary and returns its status and peak resident memory in MB (via wait4 in Python).
    private func peakMemory(_ arguments: [String]) throws -> (status: Int32, megabytes: Double, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", "-c",
                """
                import os, subprocess, sys
                child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                out = child.stdout.read()
                _, status, usage = os.wait4(child.pid, 0)
                sys.stdout.write("%d %d\\n" % (os.waitstatus_to_exitcode(status), usage.ru_maxrss))
                sys.stdout.write(out.decode("utf-8", "replace"))
                """, binary,
            ] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let firstLine = text.prefix { $0 != "\n" }.split(separator: " ")
        return (Int32(firstLine[0]) ?? -1, (Double(firstLine[1]) ?? 0) / 1024, String(text.drop { $0 != "\n" }.dropFirst()))
    }

    func testAnOverLimitFileIsRejectedWithoutBeingRead() throws {
        let huge = directory.appendingPathComponent("huge.yaml")
        try Data("sites: {}\n".utf8).write(to: huge)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        for format in ["text", "json"] {
            let run = try peakMemory(["validate", huge.path, "--format", format])
            XCTAssertEqual(run.status, 1, run.stdout)
            XCTAssertTrue(run.stdout.contains("OB106") || run.stdout.contains("the limit is"), run.stdout)
            // The whole file would be 2 GB in memory (4.2 GB before this was fixed).
            XCTAssertLessThan(run.megabytes, 200, "validate --format \(format) of a 2 GB file")
        }
    }

    // MARK: 4. Every error in one run, one error per mistake

    func testEveryErrorOfAnEntityIsReportedOnceInOneRun() throws {
        try write(
            [
                "tenant.yaml": """
                tenant: { name: Brightfield, digitalChannels: enabled }
                agents:
                  ian.foster:
                    name: Ian Foster
                    licence: standard
                    site: hq
                    teams: [t1]
                    desktopProfile: d
                    active: yes
                    email: ian.foster@brightfield
                  jo.ng:
                    email: jo@brightfield.example
                  kim.lee:
                    name: Kim
                    licnce: standard
                    site: hq
                    teams: [t1]
                    desktopProfile: d
                entryPoints:
                  e1: { channel: voice, outbound: maybe, address: "12" }

                """
            ], to: directory)
        let run = try outboundctl(["validate", directory.appendingPathComponent("tenant.yaml").path, "--format", "json"])
        let diagnostics = try XCTUnwrap(run.json?["diagnostics"] as? [[String: Any]], run.stdout)
        func messages(_ path: String) -> [String] {
            diagnostics.filter { ($0["path"] as? String)?.hasPrefix(path) == true }.compactMap { $0["message"] as? String }
        }
        let ian = messages("agents.ian.foster")
        XCTAssertTrue(ian.contains { $0.contains("active must be true or false") }, "\(ian)")
        XCTAssertTrue(ian.contains { $0.contains("'ian.foster@brightfield' is not an email address") }, "\(ian)")
        let jo = messages("agents.jo.ng")
        XCTAssertEqual(jo, ["agents.jo.ng is missing required fields 'name', 'licence', 'site', 'teams', 'desktopProfile'"])
        let kim = messages("agents.kim.lee")
        // Its broken field does not hide its references: nothing in this file defines them.
        XCTAssertEqual(
            kim,
            [
                "unknown key 'licnce' in agents.kim.lee; did you mean 'licence'?", "unknown site 'hq'", "unknown team 't1'",
                "unknown desktop profile 'd'",
            ])
        let entryPoint = messages("entryPoints.e1")
        XCTAssertTrue(entryPoint.contains { $0.contains("outbound must be true or false") }, "\(entryPoint)")
        XCTAssertTrue(entryPoint.contains { $0.contains("must be an E.164 number") }, "\(entryPoint)")
    }

    // MARK: 5. Machine-readable output is always machine-readable

    private func parseXML(_ text: String) throws -> [String: Int] {
        let parsed = try runProgram(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import sys, xml.etree.ElementTree as ET
                root = ET.fromstring(sys.stdin.read())
                cases = root.findall(".//testcase")
                failed = [c for c in cases if c.find("failure") is not None]
                errored = [c for c in cases if c.find("error") is not None]
                print(root.get("tests"), root.get("failures"), root.get("errors") or "0", len(cases), len(failed), len(errored))
                """,
            ], input: text)
        let fields = parsed.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        XCTAssertEqual(parsed.status, 0, "not XML: \(text)")
        guard fields.count == 6 else { return [:] }
        return ["tests": fields[0], "failures": fields[1], "errors": fields[2], "cases": fields[3], "failed": fields[4], "errored": fields[5]]
    }

    func testJUnitCountsAreConsistent() throws {
        for paths in [["examples/broken"], ["examples/acme"]] {
            let counts = try parseXML(try outboundctl(["validate", "--format", "junit"] + paths).stdout)
            XCTAssertEqual(counts["tests"], counts["cases"], "\(paths): \(counts)")
            XCTAssertEqual(counts["failures"], counts["failed"], "\(paths): \(counts)")
        }
        let usage = try outboundctl(["validate", "--format", "junit", "--bogus"])
        XCTAssertEqual(usage.status, 64)
        let counts = try parseXML(usage.stdout)
        XCTAssertEqual(counts["errors"], 1)
        XCTAssertEqual(counts["errored"], 1)
    }

    func testEveryFailureWithJSONFormatPrintsAnErrorDocument() throws {
        try applyAcme()
        let nonEmpty = directory.appendingPathComponent("full")
        try write(["keep.txt": "x"], to: nonEmpty)
        let failures: [(arguments: [String], code: String, status: Int32)] = [
            (["explain", "nobody", "examples/acme"], "agent-not-found", 1),
            (["explain", "nobody", "--store", storePath], "agent-not-found", 1),
            (["explain", "ana.silva", "--team", "nope", "--store", storePath], "not-in-team", 1),
            (["plan", "examples/broken", "--store", storePath], "invalid-configuration", 1),
            (["apply", "examples/broken", "--store", storePath], "invalid-configuration", 1),
            (["diff", "examples/acme", "examples/broken"], "invalid-configuration", 1),
            (["matrix", "examples/broken"], "invalid-configuration", 1),
            (["matrix", "--team", "digital-tier", "--store", storePath], "unknown-team", 1),
            (["matrix", "--site", "lisbn", "--store", storePath], "unknown-site", 1),
            (["history", "--store", directory.appendingPathComponent("none.sqlite").path], "store-missing", 3),
            (["rollback", "9", "--store", storePath], "unknown-revision", 1),
            (["export", "--out", nonEmpty.path, "--store", storePath], "directory-not-empty", 1),
            (["schema", "agents.licnce"], "unknown-field", 1),
            (["apply", "--plan", "/nonexistent.plan", "--store", storePath], "invalid-plan", 1),
            (["explain", "ana.silva", "--channel", "fax", "--store", storePath], "usage", 64),
            (["validate", "--bogus"], "usage", 64),
        ]
        for failure in failures {
            let run = try outboundctl(failure.arguments + ["--format", "json"])
            XCTAssertEqual(run.status, failure.status, "\(failure.arguments): \(run.stderr)")
            let error = try XCTUnwrap(run.json?["error"] as? [String: Any], "\(failure.arguments) printed no JSON: \(run.stdout)")
            XCTAssertEqual(error["code"] as? String, failure.code, "\(failure.arguments)")
            XCTAssertFalse((error["message"] as? String ?? "").isEmpty)
            XCTAssertFalse(run.stderr.isEmpty, "the message also goes to stderr")
        }
        let invalid = try XCTUnwrap(try outboundctl(["plan", "examples/broken", "--format", "json"]).json)
        XCTAssertEqual(invalid["errors"] as? Int, (invalid["diagnostics"] as? [Any])?.count)
        let sarif = try outboundctl(["validate", "--format", "sarif", "--bogus"])
        let run = try XCTUnwrap((sarif.json?["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual((run["invocations"] as? [[String: Any]])?.first?["executionSuccessful"] as? Bool, false)
    }

    func testEveryFormatOnSuccessIsParsedByARealParser() throws {
        try applyAcme()
        for (command, format) in [
            (["validate", "examples/acme"], "json"), (["validate", "examples/acme"], "sarif"),
            (["plan", "examples/launch-day", "--store", storePath], "json"), (["diff", "examples/acme", "examples/launch-day"], "json"),
            (["explain", "ana.silva", "--store", storePath], "json"), (["matrix", "--store", storePath], "json"),
            (["history", "--store", storePath], "json"), (["schema", "agents.licence"], "json"),
        ] {
            let run = try outboundctl(command + ["--format", format])
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)), "\(command) \(format): \(run.stdout)")
        }
        let json = try XCTUnwrap(try outboundctl(["matrix", "--store", storePath, "--format", "json"]).json?["rows"] as? [Any])
        let csv = try outboundctl(["matrix", "--store", storePath, "--format", "csv"]).stdout.split(separator: "\n")
        XCTAssertEqual(csv.first, "agent,team,channel,available,reasons")
        XCTAssertEqual(csv.count - 1, json.count)
        XCTAssertTrue(csv.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 5 })
        let github = try outboundctl(["validate", "examples/acme", "--format", "github"], environment: ["GITHUB_STEP_SUMMARY": ""]).stdout
        XCTAssertTrue(github.split(separator: "\n").allSatisfy { $0.hasPrefix("::") }, github)
    }

    func testSkippedChecksSaySoAndNameNoSource() throws {
        let run = try outboundctl(["explain", "eva.rocha", "examples/acme", "--channel", "sms", "--format", "json", "--date", "2026-06-01"])
        let checks = try XCTUnwrap(
            run.json?["checks"] as? [[String: Any]] ?? (run.json?["answers"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]], run.stdout)
        let skipped = checks.filter { $0["outcome"] as? String == "skipped" }
        XCTAssertFalse(skipped.isEmpty, "eva.rocha has no slots, so check 6 is skipped: \(checks)")
        for check in skipped {
            XCTAssertEqual(check["passed"] as? Bool, true)
            XCTAssertTrue(check["source"] is NSNull)
        }
        for check in checks {
            XCTAssertEqual(check["outcome"] as? String == "failed", check["passed"] as? Bool == false)
        }
    }

    // MARK: 6–8. Hints, filters, the same file twice, the offer

    func testEveryHintRunsAsPrinted() throws {
        let acme = try copyExample("acme", self)
        let validate = try outboundctl(["validate", "."], in: acme)
        let hints = validate.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "run `")?.upperBound, let end = line[start...].firstIndex(of: "`") else { return nil }
            return String(line[start..<end])
        }
        XCTAssertFalse(hints.isEmpty, validate.stdout)
        for hint in hints {
            XCTAssertTrue(hint.hasPrefix("outboundctl "), hint)
            let ran = try runProgram("/bin/sh", ["-c", "PATH=\(productsDirectory.path):$PATH " + hint], in: acme)
            XCTAssertTrue([0, 1].contains(ran.status), "\(hint): \(ran.stderr)")
            XCTAssertFalse(ran.stderr.contains("error:"), "\(hint): \(ran.stderr)")
        }
    }

    func testUnknownMatrixFiltersAreErrorsWithASuggestion() throws {
        let team = try outboundctl(["matrix", "examples/acme", "--team", "digital-tier"])
        XCTAssertEqual(team.status, 1)
        XCTAssertTrue(team.stderr.contains("unknown team 'digital-tier'; did you mean 'digital-tier1'?"), team.stderr)
        XCTAssertTrue(team.stdout.isEmpty)
        try applyAcme()
        let site = try outboundctl(["matrix", "--site", "lisbn", "--store", storePath])
        XCTAssertEqual(site.status, 1)
        XCTAssertTrue(site.stderr.contains("did you mean 'lisbon'?"), site.stderr)
    }

    func testTheSameFileNamedTwiceIsReadOnce() throws {
        let acme = try copyExample("acme", self)
        func places(_ run: RunResult) -> [String] {
            (run.json?["diagnostics"] as? [[String: Any]] ?? []).map { "\($0["code"] ?? "") \($0["file"] ?? ""):\($0["line"] ?? "")" }
        }
        let run = try outboundctl(["validate", ".", "./tenant.yaml", "--format", "json"], in: acme)
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertFalse(run.stdout.contains("OB115"), run.stdout)
        let once = try outboundctl(["validate", ".", "--format", "json"], in: acme)
        XCTAssertEqual(places(run), places(once))
        try FileManager.default.createSymbolicLink(atPath: acme.appendingPathComponent("alias.yml").path, withDestinationPath: "tenant.yaml")
        XCTAssertEqual(try outboundctl(["validate", ".", "--format", "json"], in: acme).status, 0)
    }

    // MARK: 9–10. The first ten minutes, --help everywhere

    func testAuthorFallsBackToTheLoginName() throws {
        let run = try outboundctl(["apply", "examples/acme", "--store", storePath], environment: ["USER": ""])
        XCTAssertEqual(run.status, 0, run.stderr)
        let name = String(cString: getpwuid(geteuid()).pointee.pw_name)
        let history = try XCTUnwrap(try outboundctl(["history", "--format", "json", "--store", storePath]).json?["revisions"] as? [[String: Any]])
        let author = history.first?["author"] as? String
        XCTAssertTrue(author == name || author == String(cString: getlogin() ?? strdup(name)), "\(author ?? "nil") is not the login name")
        XCTAssertNotEqual(author, "unknown")
    }

    func testHistoryColumnsStayAligned() throws {
        try applyAcme()
        let apply = try outboundctl(["apply", "examples/launch-day", "--store", storePath, "--yes", "--author", "an author with a really long name"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let lines = try outboundctl(["history", "--store", storePath]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        let column = try XCTUnwrap(lines[0].range(of: "CHANGES")).lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst() {
            let index = line.index(line.startIndex, offsetBy: column)
            XCTAssertEqual(line[index], "+", "changes column misaligned in \(line)")
            XCTAssertEqual(line[line.index(before: index)], " ")
        }
    }

    func testSchemaSaysWhichFieldsAreRequired() throws {
        XCTAssertTrue(try outboundctl(["schema", "agents.licence"]).stdout.contains("REQUIRED:    yes"))
        XCTAssertTrue(try outboundctl(["schema", "agents.email"]).stdout.contains("REQUIRED:    no"))
        let agents = try outboundctl(["schema", "agents"]).stdout
        XCTAssertTrue(
            agents.contains { _ in true } && agents.split(separator: "\n").contains { $0.contains("desktopProfile") && $0.contains("(required)") },
            agents)
        XCTAssertTrue(agents.split(separator: "\n").contains { $0.contains("  email ") && !$0.contains("(required)") }, agents)
    }

    func testEveryHelpExitsZeroChangesNothingAndListsExitStatuses() throws {
        let commands = [
            [], ["validate"], ["plan"], ["apply"], ["explain"], ["matrix"], ["diff"], ["history"], ["rollback"], ["export"],
            ["schema"], ["store"], ["store", "migrate"],
        ]
        let empty = try temporaryDirectory(self)
        for command in commands {
            let run = try outboundctl(command + ["--help"], in: empty)
            XCTAssertEqual(run.status, 0, "\(command) --help")
            if command != ["store"] {
                XCTAssertTrue(run.stdout.contains("Exit status:"), "\(command) --help lists no exit statuses")
            }
            if !command.isEmpty, command != ["store"] {
                XCTAssertTrue(run.stdout.contains("--no-color") && run.stdout.contains("-q, --quiet"), "\(command) lacks --no-color/-q")
                XCTAssertTrue(run.stdout.contains("--format"), "\(command) lacks --format")
                // Examples are never broken across lines.
                let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                if let start = lines.firstIndex(where: { $0.hasPrefix("Example") }) {
                    for line in lines[(start + 1)...].prefix(while: { !$0.isEmpty }) {
                        XCTAssertTrue(line.hasPrefix("  outboundctl "), "\(command): a wrapped example line '\(line)'")
                    }
                } else {
                    XCTFail("\(command) --help has no example")
                }
            }
        }
        let bench = productsDirectory.appendingPathComponent("outboundctl-bench").path
        for command in [["--help"], ["generate", "--help"], ["compare", "--help"], ["parse", "--help"]] {
            XCTAssertEqual(try runProgram(bench, command, in: empty).status, 0, "outboundctl-bench \(command)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: empty.path), [], "--help wrote files")
    }

    /// Ctrl-C in the write transaction, before its commit, then once the commit writes to the
    /// WAL: each time the message says what the store holds.
    func testInterruptingAnApplySaysWhatWasWritten() throws {
        try applyAcme()
        let large = directory.appendingPathComponent("large")
        try generateTenant(agents: 20_000, into: large)
        // The WAL's size: its 32-byte header, then a frame for every page written. The 20,000
        // agents' pages stay in SQLite's page cache (64 MB) until the commit, which writes them
        // to the WAL (several MB): before that, the apply has the store open and is comparing
        // and writing inside its transaction.
        func walSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: storePath + "-wal")[.size] as? Int) ?? 0 }
        let moments: [(name: String, expected: (message: String, revision: String))] = [
            ("the apply has the store open", ("nothing was written", "1\n")),
            ("the commit is writing to the WAL", ("revision 2 was written", "2\n")),
        ]
        for (index, moment) in moments.enumerated() {
            XCTAssertLessThanOrEqual(walSize(), 32, "the WAL holds no frames before the apply")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["apply", large.path, "--store", storePath, "--yes"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let reached = eventually(within: 120, every: 0.002) {
                guard process.isRunning else { return true }
                return index == 0 ? isOpen(storePath, by: process.processIdentifier) : walSize() > 32
            }
            XCTAssertTrue(reached, "\(moment.name) within 120 s")
            XCTAssertTrue(process.isRunning, "the apply was still running when \(moment.name)")
            process.interrupt()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 130, "interrupted once \(moment.name): \(message)")
            XCTAssertTrue(message.contains(moment.expected.message), "interrupted once \(moment.name): \(message)")
            XCTAssertEqual(
                try sqlite(storePath, "SELECT MAX(number) FROM revisions"), moment.expected.revision,
                "interrupted once \(moment.name), the store holds what the message says")
            XCTAssertEqual(try sqlite(storePath, "PRAGMA integrity_check"), "ok\n")
        }
    }
}
