import Foundation
import XCTest

/// The JSON Schema editors use accepts every example file and rejects the invalid fixtures,
/// checked by a real validator (Python's jsonschema).
final class SchemaTests: XCTestCase {
    private func checkSchema(_ files: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/check-schema.py"] + files
        process.currentDirectoryURL = repositoryRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func yamlFiles(under directory: String) -> [String] {
        let root = repositoryRoot.appendingPathComponent(directory)
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { "\(directory)/\($0)" }
    }

    func testEveryValidExampleMatchesTheSchema() throws {
        let files = yamlFiles(under: "examples").filter { !$0.hasPrefix("examples/broken/") && !$0.hasPrefix("examples/ci/") }
        XCTAssertGreaterThan(files.count, 4)
        let (status, output) = try checkSchema(files)
        XCTAssertEqual(status, 0, output)
    }

    func testEveryExampleDeclaresTheSchemaForEditors() throws {
        for file in yamlFiles(under: "examples") where !file.hasPrefix("examples/ci/") {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("# yaml-language-server: $schema=../../schemas/outboundctl.schema.json\n"), file)
        }
    }

    func testTheSchemaRejectsEachInvalidFixture() throws {
        let fixtures = yamlFiles(under: "Tests/Fixtures/schema-invalid")
        XCTAssertGreaterThanOrEqual(fixtures.count, 10)
        for fixture in fixtures {
            let (status, output) = try checkSchema([fixture])
            XCTAssertEqual(status, 1, "\(fixture) should be rejected: \(output)")
        }
    }
}
