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
                (try? TestPostgres.psql("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%outboundctl_revision%'")) == "1"
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
