import Foundation
import XCTest

/// What a run of the real `outboundctl` binary produced.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }
}

/// The repository root, where `examples/` lives; commands run from there.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built products directory (the test bundle sits in it).
let productsDirectory: URL = {
    #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        fatalError("no test bundle")
    #else
        return Bundle.main.bundleURL
    #endif
}()

/// Runs `outboundctl` with `arguments` in `directory` (default: the repository root).
func outboundctl(
    _ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:],
    input: String? = nil
) throws -> RunResult {
    try runProgram(productsDirectory.appendingPathComponent("outboundctl").path, arguments, in: directory, environment: environment, input: input)
}

/// Runs any program with the test environment (`NO_COLOR`, no `OUTBOUNDCTL_STORE`) plus
/// `environment`, and collects what it printed.
func runProgram(
    _ executable: String, _ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:],
    input: String? = nil
) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.removeValue(forKey: "OUTBOUNDCTL_STORE")
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs the binary under a pseudo-terminal (util-linux `script`), returning what it printed
/// (standard output and standard error together, as a terminal shows them).
func outboundctlOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let binary = productsDirectory.appendingPathComponent("outboundctl").path
    let command = ([binary] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    env.merge(environment) { $1 }
    process.environment = env
    process.arguments = ["script", "-qec", command, "/dev/null"]
    process.currentDirectoryURL = repositoryRoot
    let out = Pipe()
    process.standardOutput = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Reads `pipe` until `text` appears (a helper process saying it is ready); false when the
/// helper ended first.
func waitFor(_ text: String, on pipe: Pipe) -> Bool {
    var said = ""
    while !said.contains(text) {
        let data = pipe.fileHandleForReading.availableData
        if data.isEmpty { return false }
        said += String(decoding: data, as: UTF8.self)
    }
    return true
}

/// Writes a synthetic tenant of `agents` agents into `directory` with `outboundctl-bench generate`.
func generateTenant(agents: Int, into directory: URL, line: UInt = #line) throws {
    let generated = try runProgram(
        productsDirectory.appendingPathComponent("outboundctl-bench").path,
        ["generate", "--agents", String(agents), directory.path])
    XCTAssertEqual(generated.status, 0, generated.stderr, line: line)
}

/// A fresh temporary directory, removed after the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("outboundctl-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `files` (name → text) into `directory`.
func write(_ files: [String: String], to directory: URL) throws {
    for (name, text) in files {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}

/// Copies `examples/NAME` into a fresh directory and returns it.
func copyExample(_ name: String, _ test: XCTestCase) throws -> URL {
    let directory = try temporaryDirectory(test).appendingPathComponent(name)
    try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("examples/\(name)"), to: directory)
    return directory
}

/// Replaces `old` with `new` in a file, failing the test when `old` is absent.
func edit(_ file: URL, replacing old: String, with new: String, line: UInt = #line) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    XCTAssertTrue(text.contains(old), "\(file.lastPathComponent) has no \(old)", line: line)
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}

/// Runs a SQL query with the system's sqlite3 module (Python), independent of our code.
func sqlite(_ path: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c",
        """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        for row in db.execute(sys.argv[2]):
            print("|".join("" if v is None else str(v) for v in row))
        db.commit()
        """, path, sql,
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Removes the shared-memory objects libfaketime left for processes that have ended. Debian's
/// libfaketime 0.9.10 makes a pair (`/dev/shm/faketime_shm_PID`, `sem.faketime_sem_PID`) for
/// every process it is preloaded into and never removes it; the `faketime` wrapper creates its
/// own pair exclusively, so once pids wrap round it fails with "sem_open: File exists" when its
/// pid is one a test's server had. Only objects of pids no longer running are removed.
func removeStaleFaketimeObjects() {
    let directory = "/dev/shm"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
        guard let prefix = ["faketime_shm_", "sem.faketime_sem_"].first(where: { name.hasPrefix($0) }),
            let pid = pid_t(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH
        else { continue }
        try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
}
