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
    /// Whether user updates go through `PATCH user/bulk`, 100 a request.
    let bulk: Bool
    /// Called as each change ends, for the command to print it.
    let report: (Outcome) -> Void

    /// Users a bulk request: a page's worth, so one request's answer stays small.
    static let bulkSize = 100

    public init(client: WebexClient, journal: WebexJournal, bulk: Bool, report: @escaping (Outcome) -> Void) {
        self.client = client
        self.journal = journal
        self.bulk = bulk
        self.report = report
    }

    /// Sends `plan`'s changes. Throws `WebexAPIError` when the tenant cannot be reached after
    /// retries (the journal then holds what landed; a rerun finishes the push).
    public func run(_ plan: WebexPlan) async throws -> [Outcome] {
        var state = State()
        state.claimed = Set(plan.changes.compactMap(\.webexId))
        try journal.start(changes: plan.changes.count)
        var outcomes: [Outcome] = []
        var step = 0
        let changes = plan.changes
        while step < changes.count {
            let change = changes[step]
            if bulk, change.resource == .user, change.action == .update {
                var end = step
                while end < changes.count, end - step < Self.bulkSize, changes[end].resource == .user, changes[end].action == .update { end += 1 }
                if end - step > 1 {
                    for outcome in try await bulkUpdate(Array(changes[step..<end]), from: step, state: state) {
                        outcomes.append(outcome)
                        report(outcome)
                    }
                    step = end
                    continue
                }
            }
            let outcome: Outcome
            switch change.action {
            case .create: outcome = try await create(change, step: step, state: &state)
            case .update: outcome = try await update(change, step: step, state: state)
            case .delete: outcome = try await delete(change, step: step)
            }
            if change.action == .create, let webexId = outcome.webexId, outcome.result == .landed || outcome.result == .adopted {
                state.created[WebexPlaceholder.created(change.resource, change.id)] = webexId
            }
            outcomes.append(outcome)
            report(outcome)
            step += 1
        }
        try journal.end(
            landed: outcomes.filter { $0.result == .landed || $0.result == .adopted }.count, skipped: outcomes.filter { $0.result == .skipped }.count,
            failed: outcomes.filter { $0.result == .failed }.count)
        return outcomes
    }

    /// What earlier steps found out: ids of created entities, lists read for lookups.
    struct State {
        var created: [String: String] = [:]
        /// The Webex ids the plan names for its own updates and deletes: never adopted by a
        /// create, which would make two entities of the files one.
        var claimed: Set<String> = []
        var lists: [WebexResource: [JSON]] = [:]
        var lookups: [String: String] = [:]
    }

    // MARK: Creates

    private func create(_ change: WebexPlan.Change, step: Int, state: inout State) async throws -> Outcome {
        var body = JSON.object([])
        for field in change.fields {
            guard let value = try await resolve(field, state: &state) else {
                return try finish(step, change, .failed, nil, "it names \(Self.placeholderName(field.new)), which is not in the tenant")
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
            } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
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
            state.lists[resource] = try await client.items(ofList: resource.listPath)
        }
        let scope = resource == .team ? "siteId" : resource == .auxiliaryCode ? "workTypeCode" : nil
        let found = state.lists[resource]!.first { item in
            item["name"]?.stringValue?.lowercased() == name.lowercased() && scope.map { item[$0] == body[$0] } ?? true
                && !(item["id"]?.stringValue.map(state.claimed.contains) ?? false)
        }
        return found.flatMap { item in item["id"]?.stringValue.map { ($0, item["active"] != .bool(false)) } }
    }

    /// A field's new value with every placeholder replaced (in reference fields only; other
    /// values are sent as they are); nil when one cannot be (its create failed).
    private func resolve(_ field: WebexPlan.FieldChange, state: inout State) async throws -> JSON? {
        guard WebexPlaceholder.referenceFields.contains(field.webexField) else { return field.new ?? .null }
        return try await resolve(field.new, state: &state)
    }

    private func resolve(_ value: JSON?, state: inout State) async throws -> JSON? {
        guard let value else { return .null }
        switch value {
        case .string(let text) where text.hasPrefix("<"):
            if let id = state.created[text] { return .string(id) }
            if text == WebexPlaceholder.wrapUpWorkType {
                if let id = state.lookups[text] { return .string(id) }
                let id = try await wrapUpWorkType()
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
    private func wrapUpWorkType() async throws -> String? {
        guard case .found(let id) = try await WebexTenantRead.wrapUpWorkType(client: client) else { return nil }
        return id
    }

    /// What a value names that could not be resolved, for the refusal.
    private static func placeholderName(_ value: JSON?) -> String {
        if let name = value.flatMap({ WebexPlaceholder.named(in: $0).first }) { return name }
        if value.map({ $0.rendered().contains(WebexPlaceholder.wrapUpWorkType) }) == true {
            return "the tenant's WRAP_UP_CODE work type (v2/work-type has none)"
        }
        return "an entity"
    }

    // MARK: Updates and deletes

    private func update(_ change: WebexPlan.Change, step: Int, state: State) async throws -> Outcome {
        guard let webexId = change.webexId else { return try finish(step, change, .failed, nil, "no Webex id") }
        let path = "\(change.resource.rawValue)/\(try WebexEndpoint.segment(webexId))"
        var state = state
        let current: JSONTape
        do {
            current = try await client.get(path).tape
        } catch WebexAPIError.failed(_, 404?, _, _, _) {
            return try finish(step, change, .skipped, webexId, "deleted in Webex since the plan")
        } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
            return try finish(step, change, .failed, webexId, "cannot be read (\(status)): \(reason)\(Self.tracking(trackingId))")
        }
        guard var entity = WebexEntityText(current) else { return try finish(step, change, .failed, webexId, "the tenant sent no object") }
        var planned: [(String, JSON?)] = []
        for field in change.fields {
            guard let value = try await resolve(field, state: &state) else {
                return try finish(step, change, .failed, webexId, "it names \(Self.placeholderName(field.new)), which is not in the tenant")
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
        } catch WebexAPIError.failed(_, 412?, _, let reason, _) {
            // 412 is Cisco's answer both to a stale version and to deactivating what others
            // still name: the version read again tells which.
            let now = try? await client.get(path)
            let nowVersion = now.flatMap { JSON($0.tape, node: $0.tape.root)["version"]?.intValue }
            if let nowVersion, nowVersion == version {
                return try finish(step, change, .failed, webexId, "refused (412): \(reason); referred to by " + (await references(path)))
            }
            return try finish(step, change, .skipped, webexId, "changed in Webex since it was read")
        } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
            return try finish(step, change, .failed, webexId, "refused (\(status)): \(reason)\(Self.tracking(trackingId))")
        }
    }

    /// User updates through `PATCH user/bulk` (207): each item names the user's id, the
    /// planned `version` (the tenant refuses the item with 412 if it moved) and only the
    /// planned fields, which replace the stored ones — every other field stays as it is. An
    /// item the tenant refused for its version, and a change the patch cannot express (a field
    /// removed, no planned version), goes the single way: read, checked, written whole.
    private func bulkUpdate(_ changes: [WebexPlan.Change], from first: Int, state: State) async throws -> [Outcome] {
        var state = state
        var items: [JSON] = []
        var single: [Int: WebexPlan.Change] = [:]
        for (offset, change) in changes.enumerated() {
            var item: [(String, JSON)] = []
            if let webexId = change.webexId, let version = change.version, change.fields.allSatisfy({ $0.new != nil && !$0.webexField.contains(".") })
            {
                item = [("id", .string(webexId)), ("version", .int(version))]
                for field in change.fields {
                    guard let value = try await resolve(field, state: &state) else {
                        item = []
                        break
                    }
                    item.append((field.webexField, value))
                }
            }
            if item.isEmpty {
                single[offset] = change
            } else {
                items.append(.object([("itemIdentifier", .int(offset)), ("item", .object(item)), ("requestAction", .string("SAVE"))]))
            }
        }
        var results: [Int: Outcome] = [:]
        if !items.isEmpty {
            let request = WebexEndpoint.request("PATCH", "/organization/\(client.endpoint.org)/user/bulk", query: [])
            try journal.intents(changes.enumerated().filter { single[$0.offset] == nil }.map { (first + $0.offset, $0.element) }, request: request)
            var answered: [JSON] = []
            do {
                let answer = try await client.patch("user/bulk", body: Array(JSON.object([("items", .array(items))]).rendered().utf8))
                answered = JSON(answer.tape, node: answer.tape.root)["items"]?.arrayValue ?? []
            } catch WebexAPIError.failed(_, let status?, _, _, _) where (400..<500).contains(status) {
                // The tenant refused the bulk request as a whole: every item goes the single way.
            }
            var byItem: [Int: JSON] = [:]
            for result in answered { if let identifier = result["itemIdentifier"]?.intValue { byItem[identifier] = result } }
            for (offset, change) in changes.enumerated() where single[offset] == nil {
                let result = byItem[offset]
                switch result?["status"]?.intValue {
                case let status? where (200..<300).contains(status):
                    results[offset] = try finish(first + offset, change, .landed, change.webexId, nil)
                case 412?, nil:
                    // Moved since the plan, or not answered: the single way tells which.
                    try journal.outcome(step: first + offset, result: "retry", webexId: change.webexId, version: nil, detail: "bulk item not applied")
                    single[offset] = change
                case 404?:
                    results[offset] = try finish(first + offset, change, .skipped, change.webexId, "deleted in Webex since the plan")
                case let status?:
                    let message = result?["apiError"]?["error"]?["message"]?.arrayValue?.first?["description"]?.stringValue ?? "refused"
                    results[offset] = try finish(first + offset, change, .failed, change.webexId, "refused (\(status)): \(message)")
                }
            }
        }
        for (offset, change) in single.sorted(by: { $0.key < $1.key }) {
            results[offset] = try await update(change, step: first + offset, state: state)
        }
        return changes.indices.map { results[$0]! }
    }

    private func delete(_ change: WebexPlan.Change, step: Int) async throws -> Outcome {
        guard let webexId = change.webexId else { return try finish(step, change, .failed, nil, "no Webex id") }
        let path = "\(change.resource.rawValue)/\(try WebexEndpoint.segment(webexId))"
        try journal.intent(
            step: step, request: WebexEndpoint.request("DELETE", "/organization/\(client.endpoint.org)/\(path)", query: []), change: change)
        do {
            try await client.delete(path)
            return try finish(step, change, .landed, webexId, nil)
        } catch WebexAPIError.failed(_, 404?, _, _, _) {
            return try finish(step, change, .adopted, webexId, "already gone")
        } catch WebexAPIError.failed(_, 412?, _, _, _) {
            return try finish(step, change, .failed, webexId, "still referred to by " + (await references(path)))
        } catch WebexAPIError.failed(_, let status?, let trackingId, let reason, _) where (400..<500).contains(status) {
            return try finish(step, change, .failed, webexId, "refused (\(status)): \(reason)\(Self.tracking(trackingId))")
        }
    }

    /// The entities that refer to the one at `path` (its `incoming-references` list), named;
    /// when that list cannot be read, says so rather than failing the push.
    private func references(_ path: String) async -> String {
        guard let items = try? await client.items(ofList: "\(path)/incoming-references") else {
            return "other entities (the tenant's incoming-references could not be read)"
        }
        let named = items.prefix(20).map { item in
            let type = item["additionalAttributes"]?["type"]?.stringValue ?? item["type"]?.stringValue ?? "entity"
            return "\(type) \(item["name"]?.stringValue ?? item["id"]?.stringValue ?? "?")"
        }
        guard !named.isEmpty else { return "other entities (the tenant lists none)" }
        return named.joined(separator: ", ") + (items.count > 20 ? " and \(items.count - 20) more" : "")
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
