import Foundation
import OutboundConfig

/// `webex push` (SPEC §10): a plan's changes sent to the tenant one at a time, in its order,
/// each guarded as Cisco's API (no ETag, no idempotency key) cannot guard it — updates read,
/// checked against the planned `version` and written back whole; creates looked up by name
/// first and after any lost answer; deletes refused for references reported with them.
public struct WebexPush {
    public enum Result: String, Sendable {
        /// Sent and answered.
        case landed
        /// Already as planned: an entity of that name adopted, an update found in place, a
        /// delete of what is gone.
        case adopted
        /// Changed in Webex since the plan: left.
        case skipped
        /// Refused by the tenant (412 references, 409, 400): left.
        case failed
    }

    /// What became of one change.
    public struct Outcome: Sendable {
        public var change: WebexPlan.Change
        public var result: Result
        public var webexId: String?
        public var detail: String?

        public var json: JSON {
            .object([
                ("action", .string(change.action.rawValue)), ("resource", .string(change.resource.rawValue)), ("id", .string(change.id)),
                ("webexId", webexId.map(JSON.string) ?? .null), ("result", .string(result.rawValue)), ("detail", detail.map(JSON.string) ?? .null),
            ])
        }
    }

    let client: WebexClient
    let journal: WebexJournal
    /// Called as each change ends, for the command to print it.
    let report: (Outcome) -> Void

    public init(client: WebexClient, journal: WebexJournal, report: @escaping (Outcome) -> Void) {
        self.client = client
        self.journal = journal
        self.report = report
    }

    /// Sends `plan`'s changes. Throws `WebexAPIError` when the tenant cannot be reached after
    /// retries (the journal then holds what landed; a rerun finishes the push).
    public func run(_ plan: WebexPlan) async throws -> [Outcome] {
        var state = State()
        try journal.start(changes: plan.changes.count)
        var outcomes: [Outcome] = []
        for (step, change) in plan.changes.enumerated() {
            let outcome: Outcome
            switch change.action {
            case .create: outcome = try await create(change, step: step, state: &state)
            case .update: outcome = try await update(change, step: step, state: state)
            case .delete: outcome = try await delete(change, step: step)
            }
            if change.action == .create, let webexId = outcome.webexId {
                state.created[WebexPlaceholder.created(change.resource, change.id)] = webexId
            }
            outcomes.append(outcome)
            report(outcome)
        }
        try journal.end(
            landed: outcomes.filter { $0.result == .landed || $0.result == .adopted }.count, skipped: outcomes.filter { $0.result == .skipped }.count,
            failed: outcomes.filter { $0.result == .failed }.count)
        return outcomes
    }

    /// What earlier steps found out: ids of created entities, lists read for lookups.
    struct State {
        var created: [String: String] = [:]
        var lists: [WebexResource: [JSON]] = [:]
        var lookups: [String: String] = [:]
    }

    // MARK: Creates

    private func create(_ change: WebexPlan.Change, step: Int, state: inout State) async throws -> Outcome {
        var body = JSON.object([])
        for field in change.fields {
            guard let value = try await resolve(field.new, state: &state) else {
                return try finish(step, change, .failed, nil, "it names \(Self.placeholderName(field.new)), which did not land")
            }
            body = body.setting(path: field.webexField, to: value)
        }
        let name = body["name"]?.stringValue ?? change.name
        // Adopt, never duplicate: an entity of that name may exist (made by hand, or by a push
        // whose answer was lost).
        if let existing = try await lookup(change.resource, name: name, like: body, state: &state, fresh: false) {
            return try adopt(existing, step, change)
        }
        let request = WebexEndpoint.request("POST", "/organization/\(client.endpoint.org)/\(change.resource.rawValue)", query: [])
        var tries = 0
        while true {
            tries += 1
            try journal.intent(step: step, request: request, change: change)
            do {
                let answer = try await client.post(change.resource.rawValue, body: Array(body.rendered().utf8))
                let json = JSON(answer.tape, node: answer.tape.root)
                if let id = json["id"]?.stringValue { return try finish(step, change, .landed, id, nil, version: json["version"]?.intValue) }
                // Created, but the answer does not say as what: the list does.
                if let existing = try await lookup(change.resource, name: name, like: body, state: &state, fresh: true) {
                    return try finish(step, change, .landed, existing.id, nil)
                }
                return try finish(step, change, .failed, nil, "the tenant answered the create without an id, and no entity of that name is listed")
            } catch WebexAPIError.failed(let request, let status, let trackingId, let reason, _)
                where status == nil || (500..<600).contains(status!) || status == 409
            {
                // The create may have landed before the answer was lost: look before sending again.
                if let existing = try await lookup(change.resource, name: name, like: body, state: &state, fresh: true) {
                    return status == 409 ? try adopt(existing, step, change) : try finish(step, change, .landed, existing.id, nil)
                }
                if status == 409 { return try finish(step, change, .failed, nil, "refused (409): \(reason)\(Self.tracking(trackingId))") }
                guard tries <= RetryPolicy().failureRetries else {
                    throw WebexAPIError.failed(request: request, status: status, trackingId: trackingId, reason: reason, tries: tries)
                }
                try journal.outcome(step: step, result: "retry", webexId: nil, version: nil, detail: "not created: \(reason)")
                try await Task.sleep(for: RetryPolicy().failureWait(attempt: tries))
            } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) {
                return try finish(step, change, .failed, nil, "refused (\(status)): \(reason)\(Self.tracking(trackingId))")
            }
        }
    }

    /// An entity of the planned name found in the tenant: adopted when active; an inactive one
    /// is not (the import leaves it out, so the next plan would create it again).
    private func adopt(_ existing: (id: String, active: Bool), _ step: Int, _ change: WebexPlan.Change) throws -> Outcome {
        guard existing.active else {
            return try finish(
                step, change, .failed, existing.id,
                "an inactive \(change.resource.rawValue) of that name exists; activate or rename it in Control Hub")
        }
        return try finish(step, change, .adopted, existing.id, "an entity of that name exists; adopted")
    }

    private static func tracking(_ trackingId: String?) -> String { trackingId.map { " (trackingId \($0))" } ?? "" }

    /// The entity of `resource` named `name` (case aside; a team within its site, a wrap-up
    /// code within its work type), from the list read whole; `fresh` reads it again.
    private func lookup(_ resource: WebexResource, name: String, like body: JSON, state: inout State, fresh: Bool) async throws -> (
        id: String, active: Bool
    )? {
        if fresh || state.lists[resource] == nil {
            state.lists[resource] = try await readList(resource)
        }
        let scope = resource == .team ? "siteId" : resource == .auxiliaryCode ? "workTypeCode" : nil
        let found = state.lists[resource]!.first { item in
            item["name"]?.stringValue?.lowercased() == name.lowercased() && scope.map { item[$0] == body[$0] } ?? true
        }
        return found.flatMap { item in item["id"]?.stringValue.map { ($0, item["active"] != .bool(false)) } }
    }

    private func readList(_ resource: WebexResource) async throws -> [JSON] {
        var items: [JSON] = []
        var page = 0
        while true {
            let answer = try await client.get(resource.listPath, query: [("page", String(page)), ("pageSize", "100")])
            let json = JSON(answer.tape, node: answer.tape.root)
            items += json["data"]?.arrayValue ?? []
            page += 1
            guard let pages = json["meta"]?["totalPages"]?.intValue, page < pages, page < 10_000 else { return items }
        }
    }

    /// A value with every placeholder replaced; nil when one cannot be (its create failed).
    private func resolve(_ value: JSON?, state: inout State) async throws -> JSON? {
        guard let value else { return .null }
        switch value {
        case .string(let text) where text.hasPrefix("<"):
            if let id = state.created[text] { return .string(id) }
            if text == WebexPlaceholder.wrapUpWorkType {
                if let id = state.lookups[text] { return .string(id) }
                let id = try await lookUp(text)
                state.lookups[text] = id
                return id.map(JSON.string)
            }
            return text.hasPrefix(WebexPlaceholder.prefix) ? nil : value
        case .array(let items):
            var resolved: [JSON] = []
            for item in items {
                guard let item = try await resolve(item, state: &state) else { return nil }
                resolved.append(item)
            }
            return .array(resolved)
        case .object(let members):
            var resolved: [(String, JSON)] = []
            for (key, item) in members {
                guard let item = try await resolve(item, state: &state) else { return nil }
                resolved.append((key, item))
            }
            return .object(resolved)
        default: return value
        }
    }

    /// The tenant's wrap-up work type, for a plan made from a saved pull that did not hold it.
    private func lookUp(_ placeholder: String) async throws -> String? {
        guard case .found(let id) = try await WebexTenantRead.wrapUpWorkType(client: client) else { return nil }
        return id
    }

    private static func placeholderName(_ value: JSON?) -> String {
        var found = "an entity"
        func walk(_ value: JSON?) {
            switch value {
            case .string(let text)? where text.hasPrefix("<"): found = text
            case .array(let items)?: items.forEach { walk($0) }
            case .object(let members)?: members.forEach { walk($0.1) }
            default: break
            }
        }
        walk(value)
        return found
    }

    // MARK: Updates and deletes

    private func update(_ change: WebexPlan.Change, step: Int, state: State) async throws -> Outcome {
        guard let webexId = change.webexId else { return try finish(step, change, .failed, nil, "no Webex id") }
        let path = "\(change.resource.rawValue)/\(webexId)"
        var state = state
        let current: JSONTape
        do {
            current = try await client.get(path).tape
        } catch WebexAPIError.failed(_, 404?, _, _, _) {
            return try finish(step, change, .skipped, webexId, "deleted in Webex since the plan")
        }
        guard var entity = WebexEntityText(current) else { return try finish(step, change, .failed, webexId, "the tenant sent no object") }
        var planned: [(String, JSON?)] = []
        for field in change.fields {
            guard let value = try await resolve(field.new, state: &state) else {
                return try finish(step, change, .failed, webexId, "it names \(Self.placeholderName(field.new)), which did not land")
            }
            planned.append((field.webexField, field.new == nil ? nil : value))
        }
        let version = entity.value("version")?.intValue
        if let plannedVersion = change.version, version != plannedVersion {
            // A rerun finds its own earlier write in place: that is done, not a conflict.
            if planned.allSatisfy({ entity.value($0.0) == $0.1 }) {
                return try finish(step, change, .adopted, webexId, "already as planned")
            }
            return try finish(
                step, change, .skipped, webexId,
                "changed in Webex since the plan (version \(plannedVersion) planned, \(version.map(String.init) ?? "none") now)")
        }
        for (field, value) in planned { entity.set(field, to: value) }
        try journal.intent(
            step: step, request: WebexEndpoint.request("PUT", "/organization/\(client.endpoint.org)/\(path)", query: []), change: change)
        do {
            let answer = try await client.put(path, body: entity.bytes)
            let version = JSON(answer.tape, node: answer.tape.root)["version"]?.intValue
            return try finish(step, change, .landed, webexId, nil, version: version)
        } catch WebexAPIError.failed(_, 412?, _, _, _) {
            return try finish(step, change, .skipped, webexId, "changed in Webex since it was read")
        } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
            return try finish(step, change, .failed, webexId, "refused (\(status)): \(reason)\(Self.tracking(trackingId))")
        }
    }

    private func delete(_ change: WebexPlan.Change, step: Int) async throws -> Outcome {
        guard let webexId = change.webexId else { return try finish(step, change, .failed, nil, "no Webex id") }
        let path = "\(change.resource.rawValue)/\(webexId)"
        try journal.intent(
            step: step, request: WebexEndpoint.request("DELETE", "/organization/\(client.endpoint.org)/\(path)", query: []), change: change)
        do {
            try await client.delete(path)
            return try finish(step, change, .landed, webexId, nil)
        } catch WebexAPIError.failed(_, 404?, _, _, _) {
            return try finish(step, change, .adopted, webexId, "already gone")
        } catch WebexAPIError.failed(_, 412?, _, _, _) {
            return try finish(step, change, .failed, webexId, "still referred to by " + (try await references(path)))
        } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
            return try finish(step, change, .failed, webexId, "refused (\(status)): \(reason)\(Self.tracking(trackingId))")
        }
    }

    /// The entities that refer to the one at `path` (its `incoming-references` list), named.
    private func references(_ path: String) async throws -> String {
        let answer = try await client.get("\(path)/incoming-references", query: [("page", "0"), ("pageSize", "100")])
        let items = JSON(answer.tape, node: answer.tape.root)["data"]?.arrayValue ?? []
        let named = items.map { item in
            "\(item["type"]?.stringValue ?? "entity") \(item["name"]?.stringValue ?? item["id"]?.stringValue ?? "?")"
        }
        return named.isEmpty ? "other entities (the tenant lists none)" : named.joined(separator: ", ")
    }

    private func finish(
        _ step: Int, _ change: WebexPlan.Change, _ result: Result, _ webexId: String?, _ detail: String?, version: Int? = nil
    ) throws -> Outcome {
        try journal.outcome(step: step, result: result.rawValue, webexId: webexId, version: version, detail: detail)
        return Outcome(change: change, result: result, webexId: webexId, detail: detail.map(WebexClient.visible))
    }
}

extension JSON {
    /// The object with a dotted member set (`manuallyAssignable.email`), objects made on the way.
    func setting(path: String, to value: JSON?) -> JSON {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return setting(parts[0], to: value) }
        return setting(parts[0], to: (self[parts[0]] ?? .object([])).setting(path: parts[1], to: value))
    }
}
