import Foundation
import XCTest

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `outboundctl serve` on a free port of 127.0.0.1, with its standard error
/// collected line by line.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var errorText = ""
    private(set) var baseURL = URL(string: "http://127.0.0.1")!
    private let errors = Pipe()

    /// Starts serve with `arguments` and waits for its "listening" line. With `throughEnv`, serve
    /// is exec'd by `/usr/bin/env` (same process, same pid). Spawned straight from this test
    /// with libfaketime preloaded, a Swift program sees no arguments (it prints its root help;
    /// seen with Debian's libfaketime 0.9.10 and Swift 6.3); exec'd by a program that loaded
    /// libfaketime first, as `env` or the `faketime` wrapper, it sees them all.
    init(_ arguments: [String], environment: [String: String] = [:], throughEnv: Bool = false) throws {
        let executable = productsDirectory.appendingPathComponent("outboundctl")
        process.executableURL = throughEnv ? URL(fileURLWithPath: "/usr/bin/env") : executable
        process.arguments = (throughEnv ? [executable.path] : []) + ["serve", "--listen", "127.0.0.1:0"] + arguments
        var merged = ProcessInfo.processInfo.environment
        merged["NO_COLOR"] = "1"
        merged.removeValue(forKey: "OUTBOUNDCTL_STORE")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        readStandardError()
        try process.run()
        var listening: URL?
        _ = eventually(within: 30) {
            if let line = logLines.first(where: { $0["message"] as? String == "listening" }), let url = line["url"] as? String {
                listening = URL(string: url)
            }
            return listening != nil || !process.isRunning
        }
        if let listening {
            baseURL = listening
            return
        }
        guard !process.isRunning else { throw ServeFailure("serve did not say it was listening within 30 s: \(stderr)") }
        process.waitUntilExit()
        // Everything it wrote before exiting, for the message: the rest is read to the pipe's end.
        stopReadingStandardError()
        let rest = errors.fileHandleForReading.readDataToEndOfFile()
        lock.withLock { errorText += String(decoding: rest, as: UTF8.self) }
        let how = process.terminationReason == .uncaughtSignal ? "signal" : "exit"
        throw ServeFailure("serve exited with \(process.terminationStatus) (\(how)): \(stderr)")
    }

    var stderr: String { lock.withLock { errorText } }

    /// Collects what serve writes to standard error (from the start, and again after
    /// `stopReadingStandardError`).
    func readStandardError() {
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errorText += String(decoding: data, as: UTF8.self) }
        }
    }

    /// Leaves standard error unread, so that serve's writes to it block once the pipe is full.
    func stopReadingStandardError() {
        errors.fileHandleForReading.readabilityHandler = nil
    }

    /// Every JSON line written so far.
    var logLines: [[String: Any]] {
        stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// SIGTERM, then the exit status; a server still running 15 s later (past its 10 s
    /// drain) is killed, so a shutdown that hangs fails the test instead of the suite.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        if !eventually(within: 15, every: 0.02, { !process.isRunning }) {
            signal(SIGKILL)
            process.waitUntilExit()
            XCTFail("serve did not stop within 15 s of SIGTERM")
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

extension XCTestCase {
    /// A copy of `example` applied to a new SQLite store beside it: what serve answers from.
    func appliedStore(_ example: String = "acme") throws -> (store: String, configuration: URL) {
        let configuration = try copyExample(example, self)
        let store = configuration.deletingLastPathComponent().appendingPathComponent("outbound.sqlite").path
        let applied = try outboundctl(["apply", configuration.path, "--store", store])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        return (store, configuration)
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP exchange over a real socket.
struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

func http(_ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 30) throws -> HTTPAnswer {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<HTTPAnswer, Error> = .failure(ServeFailure("no answer"))
    session.dataTask(with: request) { data, response, error in
        if let error {
            result = .failure(error)
        } else if let response = response as? HTTPURLResponse {
            let headers = Dictionary(response.allHeaderFields.map { ("\($0.key)", "\($0.value)") }, uniquingKeysWith: { $1 })
            result = .success(HTTPAnswer(status: response.statusCode, headers: headers, body: data ?? Data()))
        }
        done.signal()
    }.resume()
    done.wait()
    return try result.get()
}

extension ServeProcess {
    func get(_ path: String, headers: [String: String] = [:]) throws -> HTTPAnswer {
        try http("GET", URL(string: baseURL.absoluteString + path)!, headers: headers)
    }

    /// The value of an unlabelled metric in `/metrics`, nil when it is not there.
    func metric(_ name: String) throws -> Double? {
        try get("/metrics").text.split(separator: "\n").lazy
            .compactMap { line -> Double? in
                let fields = line.split(separator: " ")
                return fields.count == 2 && fields[0] == name ? Double(fields[1]) : nil
            }.first
    }

    func post(_ path: String, json: String, headers: [String: String] = ["Content-Type": "application/json"]) throws -> HTTPAnswer {
        try http("POST", URL(string: baseURL.absoluteString + path)!, headers: headers, body: Data(json.utf8))
    }
}
