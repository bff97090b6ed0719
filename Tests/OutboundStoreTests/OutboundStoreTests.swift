import Foundation
import GRDB
import OutboundConfig
import OutboundStorePostgres
import OutboundStoreSQLite
import PostgresTestSupport
import XCTest

@testable import OutboundStore

/// The store contract: what every backend must do, through the engine (`OutboundStore`).
/// Every contract test runs over every backend of `ContractBackend` (`onEveryBackend`); a new
/// backend joins by adding a case here.
enum ContractBackend: CaseIterable {
    case sqlite
    /// A schema of its own per test on the test server (`TestPostgres`); `path` is its URL.
    case postgres

    func open(_ path: String) throws -> OutboundStore {
        switch self {
        case .sqlite: try OutboundStore.sqlite(path: path)
        case .postgres: try OutboundStore.postgres(url: PostgresURL(parsing: path))
        }
    }

    func openForReading(_ path: String) throws -> OutboundStore {
        switch self {
        case .sqlite: try OutboundStore.sqliteForReading(path: path)
        case .postgres: try OutboundStore.postgresForReading(url: PostgresURL(parsing: path))
        }
    }

    /// How the backend names the store in its errors.
    func location(_ path: String) throws -> String {
        switch self {
        case .sqlite: path
        case .postgres: try PostgresURL(parsing: path).location
        }
    }

    /// Whether anything of the store exists (the file, or the schema).
    func exists(_ path: String) throws -> Bool {
        switch self {
        case .sqlite: FileManager.default.fileExists(atPath: path)
        case .postgres: try TestPostgres.psql("SELECT count(*) FROM pg_namespace WHERE nspname = '\(try PostgresURL(parsing: path).schema)'") == "1"
        }
    }

    /// What `--store` names this store as, for the real binary.
    func storeArgument(_ path: String) -> String {
        path
    }

    /// The backend's own check that its files or tables are whole ("ok" when they are).
    func integrityCheck(_ path: String) throws -> String {
        switch self {
        case .sqlite: try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
        case .postgres:
            // PostgreSQL has no whole-database check to ask; what a half-written apply would
            // break: contiguous revisions, and no row of a revision that is not there.
            try TestPostgres.psql(
                """
                SELECT CASE WHEN (SELECT count(*) FROM revisions) = (SELECT COALESCE(max(number), 0) FROM revisions)
                             AND NOT EXISTS (SELECT 1 FROM entities WHERE revision > (SELECT COALESCE(max(number), 0) FROM revisions))
                             AND NOT EXISTS (SELECT 1 FROM availability WHERE revision > (SELECT COALESCE(max(number), 0) FROM revisions))
                        THEN 'ok' ELSE 'damaged' END
                """, schema: try PostgresURL(parsing: path).schema)
        }
    }
}

/// What the store tests share: a fresh store path and a generated tenant.
class StoreTestCase: XCTestCase {
    /// The store: a file path, or a PostgreSQL URL.
    var path: String!
    /// A fresh directory for the test's files.
    var directory: URL!
    /// The backend the test is running on.
    private(set) var backend: ContractBackend = .sqlite

    func makeStore() throws -> OutboundStore { try backend.open(path) }

    override func setUpWithError() throws {
        try prepare(.sqlite)
    }

    /// A fresh directory and store location on `backend`, removed when the test ends.
    private func prepare(_ backend: ContractBackend) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        self.directory = directory
        self.backend = backend
        switch backend {
        case .sqlite:
            path = directory.appendingPathComponent("outbound.sqlite").path
        case .postgres:
            let schema = TestPostgres.uniqueSchema()
            path = try TestPostgres.server().url(schema: schema)
            addTeardownBlock { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
        }
    }

    /// Runs a contract test's `body` once on every backend of `ContractBackend`, each with a
    /// store of its own: a contract test is written once and runs everywhere by construction
    /// (`testEveryContractTestRunsOnEveryBackend` checks each one is written so). The backend is
    /// printed before each run, so a failed assertion in the log follows the backend it failed
    /// on (XCTest on Linux has no activities); a thrown error names it, and does not keep the
    /// other backends from running.
    func onEveryBackend(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws {
        for backend in ContractBackend.allCases {
            try prepare(backend)
            print("\(name): on \(backend)")
            do { try body() } catch { XCTFail("on \(backend): \(error)", file: file, line: line) }
        }
    }

    func onEveryBackend(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async throws {
        for backend in ContractBackend.allCases {
            try prepare(backend)
            print("\(name): on \(backend)")
            do { try await body() } catch { XCTFail("on \(backend): \(error)", file: file, line: line) }
        }
    }

    /// A tenant of `count` agents, one in every seventh team with a manual email profile.
    func tenant(agents count: Int, change: (Int) -> String = { _ in "" }) -> OutboundConfig.Configuration {
        let result = ConfigurationLoader(now: Date()).load(documents: [(path: "t.yaml", text: tenantText(agents: count, change: change))])
        XCTAssertTrue(result.isValid, "\(result.diagnostics.prefix(3))")
        return result.configuration
    }

    /// The same tenant as YAML text.
    func tenantText(agents count: Int, change: (Int) -> String = { _ in "" }) -> String {
        var text = """
            tenant: {name: T, digitalChannels: enabled}
            licences:
              premium: {type: premium-agent, seats: \(count)}
            multimediaProfiles:
              digital: {blending: blended, voice: 1, email: 1, social: 1}
              manual: {blending: blended, email: {assignment: manual}, social: 1}
            sites:
              hq: {name: HQ, multimediaProfile: digital}
            teams:
              a: {site: hq}
              b: {site: hq, multimediaProfile: manual}
            desktopProfiles:
              all: {}
            entryPoints:
              sms: {channel: sms, address: "+14155550100", outbound: true, queue: sms-q}
              email: {channel: email, address: a@b.example, outbound: true, queue: email-q}
            queues:
              sms-q: {channel: sms, teams: [a, b]}
              email-q: {channel: email, teams: [a, b]}
            wrapUpReasons:
              done: {description: Done, default: true}
            agents:

            """
        for index in 0..<count {
            text +=
                "  agent-\(index): {name: A\(index), licence: premium, site: hq, teams: [\(index % 7 == 0 ? "b" : "a")], desktopProfile: all\(change(index))}\n"
        }
        return text
    }
}

/// The contract suite itself: every test runs on every backend (`onEveryBackend`).
final class StoreContractTests: StoreTestCase {
    func testOneAgentChangeRewritesOnlyThatAgentsRows() throws {
        try onEveryBackend {
            let store = try makeStore()
            guard
                case .applied(1, let first, let firstRows) = try store.apply(
                    DesiredState(tenant(agents: 200), now: Date()), author: "t", message: "", allowDeletes: false)
            else {
                return XCTFail("first apply must write revision 1")
            }
            XCTAssertEqual(first.count(.create), 200 + 13)
            XCTAssertEqual(firstRows, 1 + 213 + 400, "revision + entities + availability rows")

            let changed = DesiredState(tenant(agents: 200) { $0 == 43 ? ", multimediaProfile: manual" : "" }, now: Date())
            guard case .applied(2, let plan, let rows) = try store.apply(changed, author: "t", message: "", allowDeletes: false) else {
                return XCTFail("the change must write revision 2")
            }
            XCTAssertEqual(plan.changes.map(\.key.id), ["agent-43"])
            XCTAssertEqual(plan.impact.map(\.key), [AvailabilityKey(agent: "agent-43", team: "a", channel: .email)])
            XCTAssertEqual(rows, 3, "the revision row, agent-43's entity row and its email availability row")

            guard case .unchanged(2) = try store.apply(changed, author: "t", message: "", allowDeletes: false) else {
                return XCTFail("an unchanged apply writes nothing")
            }
            XCTAssertEqual(try store.history().count, 2)
        }
    }

    func testDeletionsAreRefusedUnlessAllowed() throws {
        try onEveryBackend {
            let store = try makeStore()
            _ = try store.apply(DesiredState(tenant(agents: 10), now: Date()), author: "t", message: "", allowDeletes: false)
            XCTAssertThrowsError(try store.apply(DesiredState(tenant(agents: 9), now: Date()), author: "t", message: "", allowDeletes: false)) {
                error in
                XCTAssertEqual(error as? StoreError, .deletionsNeedConfirmation(1))
            }
            XCTAssertEqual(try store.currentRevision(), 1)
            XCTAssertEqual(try store.availability(at: Date()).count, 20)
            _ = try store.apply(DesiredState(tenant(agents: 9), now: Date()), author: "t", message: "", allowDeletes: true)
            XCTAssertEqual(try store.availability(at: Date()).count, 18)
        }
    }

    func testSavedPlanBaseIsChecked() throws {
        try onEveryBackend {
            let store = try makeStore()
            let identity = try store.identity()
            _ = try store.apply(DesiredState(tenant(agents: 3), now: Date()), author: "t", message: "", allowDeletes: false)
            XCTAssertThrowsError(
                try store.apply(
                    DesiredState(tenant(agents: 4), now: Date()), author: "t", message: "", base: PlanBase(storeId: identity, revision: 0),
                    allowDeletes: false))
            XCTAssertThrowsError(
                try store.apply(
                    DesiredState(tenant(agents: 4), now: Date()), author: "t", message: "", base: PlanBase(storeId: "other", revision: 1),
                    allowDeletes: false))
            XCTAssertEqual(try store.currentRevision(), 1)
            _ = try store.apply(
                DesiredState(tenant(agents: 4), now: Date()), author: "t", message: "", base: PlanBase(storeId: identity, revision: 1),
                allowDeletes: false)
            XCTAssertEqual(try store.currentRevision(), 2)
        }
    }

    func testSnapshotsKeepEveryRevision() throws {
        try onEveryBackend {
            let store = try makeStore()
            let first = DesiredState(tenant(agents: 5), now: Date())
            _ = try store.apply(first, author: "t", message: "", allowDeletes: false)
            _ = try store.apply(DesiredState(tenant(agents: 6), now: Date()), author: "t", message: "", allowDeletes: false)
            XCTAssertEqual(try store.snapshot(revision: 1).document, first.document)
            let reloaded = ConfigurationLoader(now: Date()).load(documents: [(path: "snapshot", text: try store.snapshot(revision: 1).document)])
            XCTAssertTrue(reloaded.isValid)
            XCTAssertEqual(DesiredState(reloaded.configuration, now: Date()).digest, first.digest)
            XCTAssertThrowsError(try store.snapshot(revision: 7))
        }
    }

    /// Each revision's snapshot copies the unchanged pieces of the one written before it
    /// (`SnapshotCompression`) and is still exactly its document, through changes, a
    /// deletion, a rollback, and a note that no longer matches the stored bytes.
    func testSnapshotsAfterSmallChangesAreExact() throws {
        try onEveryBackend {
            let store = try makeStore()
            let manual = { (index: Int) in index == 4_321 ? ", multimediaProfile: manual" : "" }
            var states = [
                DesiredState(tenant(agents: 6_000), now: Date()), DesiredState(tenant(agents: 6_000, change: manual), now: Date()),
                DesiredState(tenant(agents: 5_999, change: manual), now: Date()),
            ]
            for state in states { _ = try store.apply(state, author: "t", message: "", allowDeletes: true) }
            XCTAssertGreaterThan(states[0].snapshot.pieces.count, 1)
            let note = try store.read { try $0.meta(SnapshotCompression.piecesKey) }
            XCTAssertEqual(note?.split(separator: " ").prefix(2), ["2", "3"], "the note describes revision 3")

            // Another writer's bytes under the note: it is not used, and nothing goes wrong.
            try store.backend.write { session in
                try session.setMeta(SnapshotCompression.piecesKey, note.map { "2 2 " + $0.dropFirst(4) })
                return ((), true)
            }
            states.append(DesiredState(tenant(agents: 6_000), now: Date()))
            _ = try store.apply(states[3], author: "t", message: "", allowDeletes: true)
            let rolledBack = ConfigurationLoader(now: Date()).load(documents: [(path: "revision 2", text: try store.snapshot(revision: 2).document)])
            states.append(DesiredState(rolledBack.configuration, now: Date()))
            _ = try store.apply(states[4], author: "t", message: "rollback", allowDeletes: true)
            for (index, state) in states.enumerated() {
                let stored = try store.snapshot(revision: index + 1).document
                XCTAssertEqual(stored, state.document, "revision \(index + 1)")
                XCTAssertEqual(CanonicalForm.digest(of: stored), state.digest, "revision \(index + 1)")
            }
            XCTAssertEqual(try store.history().sorted { $0.number < $1.number }.map(\.digest), states.map(\.digest))
        }
    }

    func testTheChangeFeedListsWhatLaterRevisionsChangedAndRemoved() throws {
        try onEveryBackend {
            let store = try makeStore()
            _ = try store.apply(DesiredState(tenant(agents: 10), now: Date()), author: "t", message: "", allowDeletes: false)
            // Revision 2: agent-3 moves to the manual team (its email cell changes), agent-9 goes.
            let second = tenant(agents: 9) { $0 == 3 ? ", multimediaProfile: manual" : "" }
            _ = try store.apply(DesiredState(second, now: Date()), author: "t", message: "", allowDeletes: true)
            let feed = try store.changes(since: 1, now: Date())
            XCTAssertEqual(feed.revision, 2)
            XCTAssertEqual(feed.changes.map(\.key), [AvailabilityKey(agent: "agent-3", team: "a", channel: .email)])
            XCTAssertEqual(feed.changes.first?.reasons, [.slotManual])
            XCTAssertEqual(feed.changes.first?.revision, 2)
            XCTAssertEqual(
                Set(feed.removals.map(\.key)),
                [
                    AvailabilityKey(agent: "agent-9", team: "a", channel: .email),
                    AvailabilityKey(agent: "agent-9", team: "a", channel: .sms),
                ])
            XCTAssertNil(feed.next)
            XCTAssertTrue(try store.changes(since: 2, now: Date()).changes.isEmpty)
            XCTAssertThrowsError(try store.changes(since: 3, now: Date()))
            // Paged three at a time, the whole feed since 0 comes once, in order.
            let whole = try store.changes(since: 0, now: Date())
            var paged = (changes: [ChangeFeed.Change](), removals: [ChangeFeed.Removal]())
            var cursor: ChangeFeed.Cursor?
            repeat {
                let page = try store.changes(since: 0, after: cursor, limit: 3, now: Date())
                XCTAssertLessThanOrEqual(page.changes.count + page.removals.count, 3)
                paged.changes += page.changes
                paged.removals += page.removals
                cursor = page.next
            } while cursor != nil
            XCTAssertEqual(paged.changes, whole.changes)
            XCTAssertEqual(paged.removals, whole.removals)
            XCTAssertEqual(whole.changes.count, 18)
            XCTAssertEqual(whole.removals.count, 2)
        }
    }

    /// A watcher (what `serve` will use) sees a revision another connection commits, and the
    /// async API runs the store's blocking work off the cooperative pool.
    func testAWatcherSeesARevisionCommittedElsewhere() async throws {
        try await onEveryBackend {
            let writer = try makeStore()
            let reader = try backend.openForReading(path)
            let revisions = reader.revisions(every: .milliseconds(20))
            let watching = expectation(description: "the watcher reports the store's revision, 0")
            let followed = expectation(description: "the watcher reports revision 1, committed by another connection")
            let seen = Task {
                var values: [Int] = []
                for try await revision in revisions {
                    values.append(revision)
                    if values == [0] { watching.fulfill() }
                    if revision == 1 {
                        followed.fulfill()
                        break
                    }
                }
                return values
            }
            // Revision 1 is committed only once the watcher has reported revision 0: it sees the commit happen.
            await fulfillment(of: [watching], timeout: 10)
            let configuration = tenant(agents: 3)
            _ = try await writer.perform { try $0.apply(DesiredState(configuration, now: Date()), author: "t", message: "", allowDeletes: false) }
            await fulfillment(of: [followed], timeout: 10)
            seen.cancel()
            let values = try await seen.value
            XCTAssertEqual(values, [0, 1])
            let revision = try await reader.perform { try $0.currentRevision() }
            XCTAssertEqual(revision, 1)
        }
    }

    /// A rollback is a new revision whose configuration is an old snapshot's.
    func testRollingBackRestoresARevisionAsANewOne() throws {
        try onEveryBackend {
            let store = try makeStore()
            let first = DesiredState(tenant(agents: 6), now: Date())
            _ = try store.apply(first, author: "t", message: "one", allowDeletes: false)
            _ = try store.apply(
                DesiredState(tenant(agents: 4) { $0 == 1 ? ", active: false" : "" }, now: Date()), author: "t", message: "two", allowDeletes: true)
            let snapshot = try store.snapshot(revision: 1)
            let restored = ConfigurationLoader(now: Date(), readinessWarnings: false).load(documents: [(path: "revision 1", text: snapshot.document)])
            guard
                case .applied(3, let plan, _) = try store.apply(
                    DesiredState(restored.configuration, now: Date()), author: "t", message: "back", allowDeletes: true)
            else {
                return XCTFail("the rollback writes revision 3")
            }
            XCTAssertEqual(plan.count(.create), 2)
            XCTAssertEqual(try store.entities(), first.entities)
            XCTAssertEqual(try store.availability(at: Date()), first.availability())
            XCTAssertEqual(try store.history().map(\.message), ["one", "two", "back"])
        }
    }

    /// Applies from several connections at once serialise: each is a revision of its own or
    /// finds nothing to change, numbers stay contiguous, and the store holds the last one.
    func testConcurrentAppliesSerialise() throws {
        try onEveryBackend {
            _ = try makeStore()
            let configurations = (0..<4).map { index in tenant(agents: 5 + index) }
            let group = DispatchGroup()
            let failures = NSLock()
            nonisolated(unsafe) var errors: [Error] = []
            for configuration in configurations {
                DispatchQueue.global().async(group: group) { [backend, path] in
                    do {
                        let store = try backend.open(path!)
                        _ = try store.apply(DesiredState(configuration, now: Date()), author: "t", message: "", allowDeletes: true)
                    } catch {
                        failures.lock()
                        errors.append(error)
                        failures.unlock()
                    }
                }
            }
            group.wait()
            XCTAssertTrue(errors.isEmpty, "\(errors)")
            let store = try makeStore()
            let numbers = try store.history().map(\.number)
            XCTAssertEqual(numbers, Array(1...numbers.count), "contiguous revisions")
            XCTAssertGreaterThanOrEqual(numbers.count, 2)
            let last = try XCTUnwrap(try store.snapshot().document)
            let reloaded = ConfigurationLoader(now: Date(), readinessWarnings: false).load(documents: [(path: "last", text: last)])
            XCTAssertFalse(try store.plan(to: DesiredState(reloaded.configuration, now: Date())).hasChanges, "entities agree with the last snapshot")
        }
    }

    /// The same configuration from other bytes (a comment edited) writes no revision, and the
    /// revision learns those sources' digest, so applying them again takes the fast path.
    func testTheSameConfigurationFromOtherBytesTeachesTheRevisionTheirDigest() throws {
        try onEveryBackend {
            let store = try makeStore()
            let configuration = tenant(agents: 5)
            _ = try store.apply(DesiredState(configuration, now: Date(), sourceDigest: "first-bytes"), author: "t", message: "", allowDeletes: false)
            guard
                case .unchanged(1) = try store.apply(
                    DesiredState(configuration, now: Date(), sourceDigest: "edited-bytes"), author: "t", message: "", allowDeletes: false)
            else {
                return XCTFail("the same configuration is no new revision")
            }
            XCTAssertEqual(try store.backend.read { try $0.revisionHead(1)?.sourceDigest }, "edited-bytes")
            XCTAssertEqual(try store.history().count, 1)
            guard
                case .unchanged(1) = try store.apply(
                    DesiredState(configuration, now: Date(), sourceDigest: "edited-bytes"), author: "t", message: "", allowDeletes: false)
            else {
                return XCTFail("unchanged")
            }
        }
    }

    /// An export of the stored entities loads back to the same configuration: same digest, and
    /// applying it changes nothing.
    func testAnExportLoadsBackToTheSameConfiguration() throws {
        try onEveryBackend {
            let store = try makeStore()
            let desired = DesiredState(
                tenant(agents: 40) { index in
                    switch index {
                    case 3: ", multimediaProfile: manual"
                    case 5: ", email: \"o'neil+x@b.example\", active: false"
                    case 8: ", multimediaProfile: digital"
                    default: ""
                    }
                }, now: Date())
            _ = try store.apply(desired, author: "t", message: "", allowDeletes: false)
            let files = ExportedFiles.render(entities: try store.entities(), revision: try store.currentRevision())
            XCTAssertEqual(files.map(\.0).first, "tenant.yaml")
            let reloaded = ConfigurationLoader(now: Date()).load(documents: files.map { (path: $0.0, text: $0.1) })
            XCTAssertTrue(reloaded.isValid, "\(reloaded.diagnostics.prefix(3))")
            let again = DesiredState(reloaded.configuration, now: Date())
            XCTAssertEqual(again.digest, desired.digest)
            guard case .unchanged(1) = try store.apply(again, author: "t", message: "", allowDeletes: false) else {
                return XCTFail("the export applies as no change")
            }
        }
    }

    /// kill -9 at random points of applies by the real binary never leaves a half-written
    /// store: it is whole by the backend's own check, its availability is exactly one complete
    /// configuration's, and its entities are that configuration's.
    func testKillsAtRandomPointsLeaveTheLastCompleteRevision() throws {
        try onEveryBackend {
            let texts = [tenantText(agents: 2_000), tenantText(agents: 2_300) { $0 % 3 == 0 ? ", active: false" : "" }]
            var files: [String] = []
            var expected: [DesiredState] = []
            for (index, text) in texts.enumerated() {
                let file = directory.appendingPathComponent("tenant-\(index).yaml")
                try text.write(to: file, atomically: true, encoding: .utf8)
                files.append(file.path)
                let result = ConfigurationLoader(now: Date()).load(documents: [(path: file.path, text: text)])
                expected.append(DesiredState(result.configuration, now: Date()))
            }
            _ = try makeStore().apply(expected[0], author: "t", message: "", allowDeletes: false)
            let binary = Bundle.main.bundleURL.appendingPathComponent("outboundctl").path
            func startApply(_ file: String) throws -> Process {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["apply", file, "--store", backend.storeArgument(path), "--yes"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            // Kills land anywhere in an apply's run: from its start to a little past its end.
            let started = Date()
            let timed = try startApply(files[1])
            timed.waitUntilExit()
            let duration = Date().timeIntervalSince(started)
            XCTAssertEqual(timed.terminationStatus, 0)
            var killed = 0
            for iteration in 0..<40 {
                let process = try startApply(files[iteration % 2])
                // The random delay is the fault injection under test (a kill at any moment of the run,
                // not one condition); `killed` below asserts that enough kills hit a running apply.
                Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.2)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killed += 1
                }
                process.waitUntilExit()
                XCTAssertEqual(try backend.integrityCheck(path), "ok", "iteration \(iteration)")
                let store = try backend.openForReading(path)
                let availability = try store.availability(at: Date())
                let match = expected.firstIndex { $0.availability() == availability }
                XCTAssertNotNil(match, "iteration \(iteration): the availability is exactly one complete configuration's")
                if let match {
                    XCTAssertEqual(try store.entities(), expected[match].entities, "iteration \(iteration): entities agree with the availability")
                }
            }
            XCTAssertGreaterThan(killed, 5, "some applies must have been interrupted")
        }
    }

    func testMissingStoreIsNotCreatedByReads() throws {
        try onEveryBackend {
            let location = try backend.location(path)
            XCTAssertThrowsError(try backend.openForReading(path)) { error in
                XCTAssertEqual(error as? StoreError, .missing(location))
            }
            XCTAssertFalse(try backend.exists(path))
        }
    }

    /// The contract runs whole on every backend: each test of the contract classes in this file
    /// hands its body to `onEveryBackend`, and `onEveryBackend` runs a body once on each
    /// backend, so every backend runs the same number of tests. (The subclass per backend this
    /// replaced had to name every test again, and had missed one.)
    func testEveryContractTestRunsOnEveryBackend() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        var tests = 0
        for contract in ["final class StoreContractTests", "final class EvaluationDayTests"] {
            let body = try XCTUnwrap(source.range(of: contract)).upperBound
            let end = source[body...].range(of: "\n}\n")?.lowerBound ?? source.endIndex
            let lines = source[body..<end].split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.hasPrefix("    func test") && !line.contains("testEveryContractTestRunsOnEveryBackend")
            {
                tests += 1
                let next = lines[index + 1].trimmingCharacters(in: .whitespaces)
                XCTAssertTrue(
                    next.hasPrefix("try onEveryBackend {") || next.hasPrefix("try await onEveryBackend {"),
                    "\(line.trimmingCharacters(in: .whitespaces)) must hand its body to onEveryBackend")
            }
        }
        XCTAssertGreaterThan(tests, 10, "the contract tests were found")
        var ran: [ContractBackend] = []
        var paths: Set<String> = []
        try onEveryBackend {
            ran.append(backend)
            paths.insert(path)
        }
        XCTAssertEqual(ran, ContractBackend.allCases, "each backend once, in order")
        XCTAssertEqual(paths.count, ContractBackend.allCases.count, "each run has a store of its own")
    }
}

/// Time-correct cells, on every backend.
final class EvaluationDayTests: StoreTestCase {
    /// Rows do not depend on the day of the apply: a later apply of the same configuration
    /// writes nothing, and the stored answer turns at the licence boundary by itself.
    func testALaterDayNeedsNoApplyAndTheAnswerTurnsAtTheBoundary() throws {
        try onEveryBackend {
            let text = """
                tenant: {name: T, digitalChannels: enabled, timezone: America/Sao_Paulo}
                licences:
                  l: {type: premium-agent, seats: 1, validUntil: 2026-06-30}
                multimediaProfiles:
                  p: {blending: blended, email: 1, social: 1}
                sites:
                  s: {multimediaProfile: p}
                teams:
                  t: {site: s}
                desktopProfiles:
                  d: {}
                entryPoints:
                  e: {channel: email, address: a@b.example, outbound: true, queue: q}
                queues:
                  q: {channel: email, teams: [t]}
                wrapUpReasons:
                  r: {description: R, default: true}
                agents:
                  a: {name: A, licence: l, site: s, teams: [t], desktopProfile: d}
                """
            let june30 = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-06-30T12:00:00Z"))
            let boundary = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-07-01T03:00:00Z"), "midnight in São Paulo (UTC-3)")
            let configuration = ConfigurationLoader(now: june30).load(documents: [(path: "t.yaml", text: text)]).configuration
            let store = try makeStore()
            _ = try store.apply(DesiredState(configuration, now: june30), author: "t", message: "", allowDeletes: false)
            guard
                case .unchanged = try store.apply(
                    DesiredState(configuration, now: boundary.addingTimeInterval(86_400)), author: "t", message: "", allowDeletes: false)
            else {
                return XCTFail("same configuration on a later day: unchanged")
            }
            let key = AvailabilityKey(agent: "a", team: "t", channel: .email)
            XCTAssertEqual(try store.availability(at: boundary.addingTimeInterval(-1))[key], [])
            XCTAssertEqual(try store.availability(at: boundary)[key], [.licenceExpired])
            let rows = try store.availabilityRows(now: boundary.addingTimeInterval(-1))
            XCTAssertEqual(rows.first { $0.0 == key }?.1, [])
        }
    }
}

/// What the SQLite backend adds to the contract: deflated snapshots in its table, the public
/// view and its index.
final class SQLiteBackendTests: StoreTestCase {
    /// Snapshots are stored deflated, and read back as the very document whose SHA-256 is the
    /// revision's digest; a text snapshot written before compression still reads.
    func testSnapshotsAreDeflatedAndReadBackExactly() throws {
        let store = try makeStore()
        let desired = DesiredState(tenant(agents: 300), now: Date())
        _ = try store.apply(desired, author: "t", message: "", allowDeletes: false)
        let queue = try DatabaseQueue(path: path)
        let (encoding, stored, digest) = try queue.read { db in
            let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT snapshot_encoding, length(snapshot), digest FROM revisions WHERE number = 1"))
            return (row[0] as String, row[1] as Int, row[2] as String)
        }
        XCTAssertEqual(encoding, "deflate")
        XCTAssertLessThan(stored, desired.document.utf8.count / 4, "deflated")
        let read = try store.snapshot(revision: 1)
        XCTAssertEqual(read.document, desired.document)
        XCTAssertEqual(CanonicalForm.digest(of: read.document), digest)

        try queue.write { db in
            try db.execute(sql: "UPDATE revisions SET snapshot = ?, snapshot_encoding = 'text' WHERE number = 1", arguments: [desired.document])
        }
        XCTAssertEqual(try store.snapshot(revision: 1).document, desired.document)
        try queue.write { db in
            try db.execute(
                sql: "UPDATE revisions SET snapshot = ?, snapshot_encoding = 'deflate' WHERE number = 1", arguments: [Data("not zlib".utf8)])
        }
        XCTAssertThrowsError(try store.snapshot(revision: 1)) { error in
            XCTAssertTrue("\(error)".contains("cannot be decompressed"), "\(error)")
        }
    }

    func testTheViewAnswersOneAgentWithAnIndexedLookup() throws {
        let store = try makeStore()
        _ = try store.apply(DesiredState(tenant(agents: 50), now: Date()), author: "t", message: "", allowDeletes: false)
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            let columns = try db.columns(in: "outbound_availability").map(\.name)
            XCTAssertEqual(columns, ["agent_id", "team_id", "channel", "available", "reasons", "revision", "until"])
            let row = try XCTUnwrap(
                try Row.fetchOne(
                    db, sql: "SELECT available, reasons, revision FROM outbound_availability WHERE agent_id = 'agent-7' AND channel = 'email'"))
            XCTAssertEqual(row[0] as Int, 0)
            XCTAssertEqual(row[1] as String, "slot-manual")
            XCTAssertEqual(row[2] as Int, 1)
            let detail = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT * FROM outbound_availability WHERE agent_id = 'agent-7' AND channel = 'sms'"
            )
            .map { $0["detail"] as String? ?? "" }.joined(separator: " ")
            XCTAssertTrue(detail.contains("USING INDEX") || detail.contains("USING PRIMARY KEY"), detail)
            XCTAssertFalse(detail.contains("SCAN"), detail)
        }
    }
}
