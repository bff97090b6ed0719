import Foundation
import OutboundConfig

/// The append-only record of a push (SPEC §10): one JSON line per request's intent and one
/// per its outcome, each forced to disk before the next request goes, so whatever stops a push
/// — kill -9, a dropped connection, an expired token — the journal says what may have landed.
/// A rerun reads the tenant afresh and adopts what landed; the journal is how it knows there
/// was an unfinished push to finish, and what an admin reads to see what happened. It holds
/// ids, paths and statuses, never a token or a body.
public final class WebexJournal {
    public let path: String
    private let org: String
    private let handle: FileHandle
    private let push: String
    private let formatter = ISO8601DateFormatter()

    /// Another push holds the journal.
    public struct Busy: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "another webex push is running with the journal \(path); wait for it to end" }
    }

    /// What an earlier push left in the journal: requests sent without an outcome recorded.
    public struct Unfinished: Sendable {
        public var started: String
        public var sent: Int
        public var unanswered: [String]
    }

    /// Opens (creating it and its directory) the journal at `path`, for a push of `org`.
    public init(path: String, org: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        handle = try FileHandle(forWritingTo: url)
        // One push of an organisation at a time: a second would interleave its lines here, and
        // both would write the same ids into the files.
        guard flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            try? handle.close()
            throw Busy(path: path)
        }
        try handle.seekToEnd()
        push = "\(Int(Date().timeIntervalSince1970 * 1000))-\(getpid())"
        self.org = org
    }

    deinit { try? handle.close() }

    /// The default place: `.outboundctl/webex-ORG.journal` in the current directory.
    public static func defaultPath(org: String) -> String { ".outboundctl/webex-\(org).journal" }

    /// The last push of `org` recorded at `path` that did not end, if any.
    public static func unfinished(at path: String, org: String) -> Unfinished? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var last: (push: String, started: String, sent: [String: String], ended: Bool)?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let entry = try? JSON.parse(bytes: Array(line)), entry["org"]?.stringValue == org, let push = entry["push"]?.stringValue else {
                continue
            }
            if last?.push != push { last = (push, entry["time"]?.stringValue ?? "", [:], false) }
            switch entry["event"]?.stringValue {
            case "intent": last?.sent[entry["step"]?.intValue.map(String.init) ?? "", default: ""] = entry["request"]?.stringValue ?? ""
            case "outcome": last?.sent[entry["step"]?.intValue.map(String.init) ?? ""] = nil
            case "end": last?.ended = true
            default: break
            }
        }
        guard let last, !last.ended else { return nil }
        return Unfinished(started: last.started, sent: last.sent.count, unanswered: last.sent.values.sorted())
    }

    public func start(changes: Int) throws {
        try append([("event", .string("start")), ("changes", .int(changes))])
    }

    /// Before a request: what it is about to do.
    func intent(step: Int, request: String, change: WebexPlan.Change) throws {
        try intents([(step, change)], request: request)
    }

    /// Before a bulk request: each change it carries, a line each, flushed once.
    func intents(_ changes: [(step: Int, change: WebexPlan.Change)], request: String) throws {
        try append(
            changes.map { step, change in
                [
                    ("event", .string("intent")), ("step", .int(step)), ("request", .string(request)),
                    ("resource", .string(change.resource.rawValue)), ("id", .string(change.id)),
                    ("webexId", change.webexId.map(JSON.string) ?? .null),
                ]
            })
    }

    /// After it: how it ended (`landed`, `adopted`, `skipped`, `failed`), with the entity's id
    /// and version when known.
    func outcome(step: Int, result: String, webexId: String?, version: Int?, detail: String? = nil) throws {
        try append([
            ("event", .string("outcome")), ("step", .int(step)), ("result", .string(result)), ("webexId", webexId.map(JSON.string) ?? .null),
            ("version", version.map(JSON.int) ?? .null), ("detail", detail.map(JSON.string) ?? .null),
        ])
    }

    public func end(landed: Int, skipped: Int, failed: Int) throws {
        try append([("event", .string("end")), ("landed", .int(landed)), ("skipped", .int(skipped)), ("failed", .int(failed))])
    }

    private func append(_ members: [(String, JSON)]) throws {
        try append([members])
    }

    /// Appends lines and forces them to disk once.
    private func append(_ lines: [[(String, JSON)]]) throws {
        let time = JSON.string(formatter.string(from: Date()))
        let text = lines.map { members in
            JSON.object([("time", time), ("org", .string(org)), ("push", .string(push))] + members).rendered() + "\n"
        }.joined()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }
}
