import Foundation
import XCTest

/// The fake Webex Contact Center API (Tests/FakeWebex/fake_webex.py) on a free loopback port:
/// it serves a seeded export with Cisco's paging, checks every request against Cisco's OpenAPI
/// document, injects the faults it is asked for, and logs every request for the test to read.
final class FakeWebexServer: @unchecked Sendable {
    static let org = "5d1f3a6e-2c44-4e0b-9a59-7c1b2f0e8a31"
    static let token = "fake-token-Zq8v3LmN0pXc7RtY"

    let process = Process()
    let directory: URL
    private(set) var baseURL = ""
    private let output = Pipe()
    private let errors = Pipe()

    var tokenFile: URL { directory.appendingPathComponent("token") }
    var logFile: URL { directory.appendingPathComponent("requests.jsonl") }

    /// Starts the fake on `export` with `arguments` (`--fault-at`, `--moving`, `--page-cap`, …)
    /// and waits for its "listening on" line. It is stopped when the test ends.
    init(export: URL, _ arguments: [String] = [], test: XCTestCase) throws {
        directory = try temporaryDirectory(test)
        try (Self.token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", repositoryRoot.appendingPathComponent("Tests/FakeWebex/fake_webex.py").path]
            + ["--export", export.path, "--org", Self.org, "--token-file", tokenFile.path, "--log", logFile.path, "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var said = ""
        while !said.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            said += String(decoding: data, as: UTF8.self)
        }
        guard let line = said.split(separator: "\n").first, line.hasPrefix("listening on ") else {
            process.waitUntilExit()
            let why = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw FakeWebexFailure(
                description:
                    "the fake Webex server did not start: \(said)\(why) (scripts/test.sh installs its Python packages: python3 -m pip install openapi-schema-validator)"
            )
        }
        baseURL = String(line.dropFirst("listening on ".count))
        test.addTeardownBlock { [self] in stop() }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Every request the fake has answered (or dropped), in order.
    var requests: [[String: Any]] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The connection flags of a `webex` command aimed at this fake, the token by file.
    var connection: [String] { ["--org", Self.org, "--api", baseURL, "--token-file", tokenFile.path] }
}

struct FakeWebexFailure: Error, CustomStringConvertible {
    var description: String
}
