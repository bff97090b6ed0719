import Foundation
import OutboundConfig

/// `webex plan --out PLANFILE`, read back by `webex push --plan` (SPEC §10): the plan whole —
/// each change with every field it sends and the `version` of the entity as read — with the
/// organisation and the digest of each file it was made from, so push needs nothing else.
public enum WebexPlanFile {
    static let format = "outboundctl-webex-plan"

    public struct Saved: Sendable {
        public var plan: WebexPlan
        /// Each file the plan was made from (an absolute path) and the digest of its bytes then.
        public var files: [(path: String, digest: String)]

        /// The files that are no longer as they were when the plan was made: `--write-ids`
        /// would write into the wrong lines of those.
        public func changedFiles() -> [String] {
            files.filter { WebexPlanFile.digest(of: $0.path) != $0.digest }.map(\.path)
        }
    }

    /// The FNV-1a digest of a file's bytes (nil when unreadable).
    static func digest(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var hash = FNV1a()
        data.withUnsafeBytes { hash.combine($0) }
        return hash.hex
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// The plan file's text; `files` are the configuration files it was made from.
    public static func text(_ plan: WebexPlan, files: [String], toolVersion: String) -> String {
        let changes = plan.changes.map { change -> JSON in
            guard case .object(var members) = change.json else { return change.json }
            members += [
                ("version", change.version.map(JSON.int) ?? .null), ("section", .string(change.section.rawValue)),
                ("file", change.file.map { JSON.string(absolute($0)) } ?? .null), ("line", change.line.map(JSON.int) ?? .null),
            ]
            return .object(members)
        }
        let digests = files.map { file in
            JSON.object([("path", .string(absolute(file))), ("digest", digest(of: file).map(JSON.string) ?? .null)])
        }
        return JSON.object([
            ("format", .string(format)), ("formatVersion", .int(1)), ("tool", .string(toolVersion)), ("org", .string(plan.org)),
            ("files", .array(digests)), ("changes", .array(changes)),
            ("notPushable", .array(plan.notPushable.map(\.json))), ("unmanaged", .array(plan.unmanaged.map(\.json))),
            ("impact", .array(plan.impact.map(\.json))),
        ]).rendered(pretty: true) + "\n"
    }

    /// A problem of a saved plan: the JSON path and what is wrong.
    public struct Problem: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Reads a saved plan. What push sends comes from here, so every member it reads is
    /// checked, with the JSON path of the first one wrong.
    public static func read(_ bytes: [UInt8]) throws(Problem) -> Saved {
        let json: JSON
        do {
            json = try JSON.parse(bytes: bytes)
        } catch {
            throw Problem(path: "$", message: "not JSON: \(error)")
        }
        guard json["format"]?.stringValue == format else { throw Problem(path: "$.format", message: "not a webex plan (\"format\": \"\(format)\")") }
        guard json["formatVersion"] == .int(1) else { throw Problem(path: "$.formatVersion", message: "this version reads version 1") }
        guard let org = json["org"]?.stringValue, !org.isEmpty else { throw Problem(path: "$.org", message: "a string is required") }
        var plan = WebexPlan(org: org)
        for (index, change) in (json["changes"]?.arrayValue ?? []).enumerated() {
            let path = "$.changes[\(index)]"
            func string(_ key: String) throws(Problem) -> String {
                guard let value = change[key]?.stringValue else { throw Problem(path: "\(path).\(key)", message: "a string is required") }
                return value
            }
            guard let action = WebexPlan.Action(rawValue: try string("action")) else {
                throw Problem(path: "\(path).action", message: "create, update or delete")
            }
            guard let resource = WebexResource(rawValue: try string("resource")), WebexPlan.order.contains(resource) else {
                throw Problem(path: "\(path).resource", message: "not a resource push writes")
            }
            guard let section = Section(rawValue: try string("section")), section.webexResource == resource else {
                throw Problem(path: "\(path).section", message: "not the section of \(resource.rawValue)")
            }
            let webexId = change["webexId"]?.stringValue
            guard action == .create || webexId != nil else {
                throw Problem(path: "\(path).webexId", message: "an update or delete needs the entity's id")
            }
            var fields: [WebexPlan.FieldChange] = []
            for (fieldIndex, field) in (change["fields"]?.arrayValue ?? []).enumerated() {
                guard let name = field["webexField"]?.stringValue, !name.isEmpty else {
                    throw Problem(path: "\(path).fields[\(fieldIndex)].webexField", message: "a string is required")
                }
                let parts = name.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else {
                    throw Problem(path: "\(path).fields[\(fieldIndex)].webexField", message: "a field name, or two joined by a dot")
                }
                let new = field["new"]
                fields.append(.init(webexField: name, old: field["old"].flatMap { $0 == .null ? nil : $0 }, new: new == .null ? nil : new))
            }
            plan.changes.append(
                .init(
                    action: action, resource: resource, webexId: webexId, id: try string("id"), name: change["name"]?.stringValue ?? "",
                    matchedBy: change["matchedBy"]?.stringValue.flatMap(WebexPlan.MatchedBy.init(rawValue:)), fields: fields,
                    version: change["version"]?.intValue, section: section, file: change["file"]?.stringValue, line: change["line"]?.intValue))
        }
        let files = (json["files"]?.arrayValue ?? []).compactMap { file in
            file["path"]?.stringValue.map { ($0, file["digest"]?.stringValue ?? "") }
        }
        // --write-ids writes only into the files the plan was made from.
        let known = Set(files.map(\.0))
        if let index = plan.changes.firstIndex(where: { $0.file.map { !known.contains($0) } ?? false }) {
            throw Problem(path: "$.changes[\(index)].file", message: "not one of the plan's files")
        }
        plan.changes = WebexPlan.sorted(plan.changes)
        // What is not pushable and unmanaged is shown again before the push; the impact too.
        for (index, item) in (json["notPushable"]?.arrayValue ?? []).enumerated() {
            guard let resource = item["resource"]?.stringValue, let id = item["id"]?.stringValue, let reason = item["reason"]?.stringValue,
                let place = item["where"]?.stringValue
            else { throw Problem(path: "$.notPushable[\(index)]", message: "resource, id, reason and where are required") }
            plan.notPushable.append(
                .init(
                    resource: resource, webexId: item["webexId"]?.stringValue, id: id, field: item["field"]?.stringValue, reason: reason, place: place
                ))
        }
        for (index, item) in (json["unmanaged"]?.arrayValue ?? []).enumerated() {
            guard let resource = item["resource"]?.stringValue.flatMap(WebexResource.init(rawValue:)), let webexId = item["webexId"]?.stringValue,
                let name = item["name"]?.stringValue
            else { throw Problem(path: "$.unmanaged[\(index)]", message: "resource, webexId and name are required") }
            plan.unmanaged.append(.init(resource: resource, webexId: webexId, name: name))
        }
        for (index, item) in (json["impact"]?.arrayValue ?? []).enumerated() {
            guard let agent = item["agent"]?.stringValue, let team = item["team"]?.stringValue,
                let channel = item["channel"]?.stringValue.flatMap(Channel.init(rawValue:)), case .bool(let before)? = item["before"],
                case .bool(let after)? = item["after"]
            else { throw Problem(path: "$.impact[\(index)]", message: "agent, team, channel, before and after are required") }
            let reasons = (item["reasons"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(ReasonCode.init(rawValue:)) }
            plan.impact.append(
                .init(key: AvailabilityKey(agent: agent, team: team, channel: channel), before: before, after: after, reasons: reasons))
        }
        return Saved(plan: plan, files: files)
    }
}
