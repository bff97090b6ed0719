import Foundation
import OutboundStorePostgres
import XCTest

/// The URL forms of `--store` for PostgreSQL (docs/store.md), read without any server.
final class PostgresURLTests: XCTestCase {
    func testEveryFormReads() throws {
        let full = try PostgresURL(
            parsing: "postgresql://ana:s%40cret@db.example:6543/cc?schema=acme&sslmode=verify-full&sslrootcert=/etc/ca.pem",
            environment: [:], home: "/nowhere")
        XCTAssertEqual(full.user, "ana")
        XCTAssertEqual(full.password, "s@cret")
        XCTAssertEqual(full.host, "db.example")
        XCTAssertEqual(full.port, 6543)
        XCTAssertEqual(full.database, "cc")
        XCTAssertEqual(full.schema, "acme")
        XCTAssertEqual(full.sslMode, .verifyFull)
        XCTAssertEqual(full.sslRootCertificate, "/etc/ca.pem")
        XCTAssertEqual(full.location, "postgres://ana@db.example:6543/cc?schema=acme&sslmode=verify-full", "never the password")

        let plain = try PostgresURL(parsing: "postgres://ana@db.example/cc", environment: [:], home: "/nowhere")
        XCTAssertEqual(plain.port, 5432)
        XCTAssertEqual(plain.schema, "outboundctl")
        XCTAssertEqual(plain.sslMode, .disable)
        XCTAssertNil(plain.password)

        let socket = try PostgresURL(parsing: "postgres://postgres@localhost:5433/outboundctl?host=/tmp/pg%20dir", environment: [:], home: "/nowhere")
        XCTAssertEqual(socket.socketDirectory, "/tmp/pg dir")
        XCTAssertEqual(socket.location, "postgres://postgres@localhost:5433/outboundctl?host=/tmp/pg%20dir&schema=outboundctl")
        XCTAssertEqual(
            try PostgresURL(parsing: "postgres://ana@h/", environment: [:], home: "/").database, "ana", "the database defaults to the user")
    }

    func testThePasswordComesFromPGPASSWORDElsePgpass() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent(".pgpass")
        try "# comment\nother:5432:*:ana:wrong\ndb.example:*:cc:ana:pa\\:ss\n*:*:*:*:fallback\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        XCTAssertEqual(try PostgresURL(parsing: "postgres://ana@db.example/cc", environment: [:], home: home.path).password, "pa:ss")
        XCTAssertEqual(try PostgresURL(parsing: "postgres://bo@elsewhere/x", environment: [:], home: home.path).password, "fallback")
        XCTAssertEqual(try PostgresURL(parsing: "postgres://ana@db.example/cc", environment: ["PGPASSWORD": "env"], home: home.path).password, "env")
        XCTAssertEqual(
            try PostgresURL(parsing: "postgres://ana:url@db.example/cc", environment: ["PGPASSWORD": "env"], home: home.path).password, "url")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        XCTAssertNil(
            try PostgresURL(parsing: "postgres://ana@db.example/cc", environment: [:], home: home.path).password,
            "a ~/.pgpass others may read is ignored, as libpq does")
    }

    func testUnusableURLsAreRefusedWithTheReason() {
        let cases = [
            ("postgres://db.example/cc", "names no user"),
            ("postgres://ana@db.example/cc?schema=Acme", "is not a valid name"),
            ("postgres://ana@db.example/cc?schema=a%22b", "is not a valid name"),
            ("postgres://ana@db.example/cc?sslmode=prefer", "sslmode 'prefer'"),
            ("postgres://ana@db.example/cc?sslrootcert=/ca.pem", "needs sslmode=verify-full"),
            ("postgres://ana@db.example/cc?host=relative", "absolute path"),
            ("postgres://ana@db.example/cc?search_path=x", "unknown parameter 'search_path'"),
        ]
        for (text, why) in cases {
            XCTAssertThrowsError(try PostgresURL(parsing: text, environment: [:], home: "/nowhere"), text) { error in
                XCTAssertTrue("\(error)".contains(why), "\(text): \(error)")
            }
        }
    }
}
