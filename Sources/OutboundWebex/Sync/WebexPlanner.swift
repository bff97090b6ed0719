import Foundation
import OutboundConfig

/// The tenant's items by Webex id, and which of them the import brings in: what the reverse
/// mapping starts an update from.
struct WebexTenantIndex {
    var multimediaProfiles: [String: WebexMultimediaProfile] = [:]
    var sites: [String: WebexSite] = [:]
    var teams: [String: WebexTeam] = [:]
    var users: [String: WebexUser] = [:]
    var agentProfiles: [String: WebexAgentProfile] = [:]
    var entryPoints: [String: WebexEntryPoint] = [:]
    var queues: [String: WebexQueue] = [:]
    var auxiliaryCodes: [String: WebexAuxiliaryCode] = [:]
    var systemDefaultProfile: String?
    /// The work type wrap-up codes are created in: read with the pull (`v2/work-type`).
    var wrapUpWorkType: WebexLookup = .unknown
    /// Imported teams, outbound entry points and wrap-up codes: the items of a user's or a
    /// desktop profile's lists that the files decide; the others in those lists are kept.
    var importedTeams: Set<String> = []
    var outboundEntryPoints: Set<String> = []
    var wrapUpCodes: Set<String> = []

    init(_ export: WebexExport, imported: WebexImport) {
        func index<Item: WebexItem>(_ items: [Item]) -> [String: Item] {
            Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        multimediaProfiles = index(export.multimediaProfiles)
        sites = index(export.sites)
        teams = index(export.teams)
        users = index(export.users)
        agentProfiles = index(export.agentProfiles)
        entryPoints = index(export.entryPoints)
        queues = index(export.queues)
        auxiliaryCodes = index(export.auxiliaryCodes)
        systemDefaultProfile = export.multimediaProfiles.first { $0.systemDefault == true && $0.active }?.id
        func webexIds(_ section: Section) -> Set<String> {
            Set((imported.sections[section] ?? []).compactMap { entry in entry.fields.first { $0.0 == "externalId" }?.1.stringValue })
        }
        importedTeams = webexIds(.teams)
        // A desktop profile's list may name its items by id or by name (Cisco's document does
        // not say which): both count as managed.
        wrapUpCodes = webexIds(.wrapUpReasons)
        wrapUpCodes.formUnion(export.auxiliaryCodes.filter { wrapUpCodes.contains($0.id) }.map(\.name))
        let channels = Dictionary(
            (imported.sections[.entryPoints] ?? []).compactMap { entry -> (String, Bool)? in
                let fields = JSON.object(entry.fields)
                guard let webexId = fields["externalId"]?.stringValue else { return nil }
                return (webexId, fields["outbound"] == .bool(true))
            }, uniquingKeysWith: { first, _ in first })
        outboundEntryPoints = Set(channels.filter(\.value).keys)
        outboundEntryPoints.formUnion(export.entryPoints.filter { outboundEntryPoints.contains($0.id) }.map(\.name))
    }

    func name(_ resource: WebexResource, _ webexId: String) -> String {
        switch resource {
        case .multimediaProfile: multimediaProfiles[webexId]?.name ?? webexId
        case .site: sites[webexId]?.name ?? webexId
        case .team: teams[webexId]?.name ?? webexId
        case .user:
            users[webexId].map { user in
                let name = [user.firstName, user.lastName].compactMap(\.self).joined(separator: " ")
                return name.isEmpty ? user.email ?? webexId : name
            } ?? webexId
        case .agentProfile: agentProfiles[webexId]?.name ?? webexId
        case .entryPoint: entryPoints[webexId]?.name ?? webexId
        case .queue: queues[webexId]?.name ?? webexId
        case .auxiliaryCode: auxiliaryCodes[webexId]?.name ?? webexId
        case .userProfile: webexId
        }
    }
}

extension Section {
    /// The Webex list a section's entities live in; nil for licences (the API has none).
    var webexResource: WebexResource? {
        switch self {
        case .licences: nil
        case .multimediaProfiles: .multimediaProfile
        case .sites: .site
        case .teams: .team
        case .desktopProfiles: .agentProfile
        case .entryPoints: .entryPoint
        case .queues: .queue
        case .wrapUpReasons: .auxiliaryCode
        case .agents: .user
        }
    }

    /// The fields of an entity that name entities of another section.
    var referenceFields: [(field: String, target: Section)] {
        switch self {
        case .sites: [("multimediaProfile", .multimediaProfiles)]
        case .teams: [("site", .sites), ("multimediaProfile", .multimediaProfiles)]
        case .queues: [("teams", .teams), ("wrapUpReasons", .wrapUpReasons)]
        case .entryPoints: [("queue", .queues)]
        case .desktopProfiles: [("outboundEntryPoints", .entryPoints), ("wrapUpReasons", .wrapUpReasons)]
        case .agents: [("site", .sites), ("teams", .teams), ("desktopProfile", .desktopProfiles), ("multimediaProfile", .multimediaProfiles)]
        case .licences, .multimediaProfiles, .wrapUpReasons: []
        }
    }
}

/// A problem that stops a plan: an `externalId` that names nothing in the tenant, two
/// entities of the files that are one Webex entity.
public struct WebexPlanError: Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    public var path: String
    public var message: String

    public var description: String {
        (location.map { "\($0.file):\($0.line):\($0.column): " } ?? "") + "error: \(path): \(message)"
    }
}

/// `webex plan` (SPEC §10): the files compared with the tenant imported in memory, entity by
/// entity, and each difference read backwards into the Webex fields push would send.
///
/// Both sides are compared as the core compares configurations — canonical forms — after the
/// tenant's entities have been given the ids of the files' entities they match. So a value the
/// import had to change to fit the format is no change, and the impact is the core's plan's.
public enum WebexPlanner {
    /// The sections push writes, in the order it sends them.
    static let sections: [Section] = WebexPlan.order.compactMap { resource in Section.allCases.first { $0.webexResource == resource } }

    public static func plan(
        files: Configuration, tenant read: WebexTenantRead, imported: WebexImport, org: String, prune: Bool, now: Date
    ) -> (WebexPlan, [WebexPlanError]) {
        var planner = Run(files: files, export: read.run.export, imported: imported, versions: read.versions, prune: prune)
        planner.index.wrapUpWorkType = read.wrapUpWorkType
        return planner.plan(org: org, now: now)
    }

    /// One plan being made.
    struct Run {
        let files: Configuration
        let export: WebexExport
        let imported: WebexImport
        let versions: [WebexResource: [String: Int]]
        let prune: Bool
        var index: WebexTenantIndex
        /// The files' canonical entities.
        let desired: [CanonicalForm.Key: String]
        var errors: [WebexPlanError] = []
        /// Per section: the Webex id of each entity of the files that matched one, and how.
        var matches: [Section: [String: (webexId: String, by: WebexPlan.MatchedBy)]] = [:]
        /// Per section: the Webex id of each imported entity, by its id after renaming.
        var tenantIds: [Section: [String: String]] = [:]

        init(files: Configuration, export: WebexExport, imported: WebexImport, versions: [WebexResource: [String: Int]], prune: Bool) {
            self.files = files
            self.export = export
            self.imported = imported
            self.versions = versions
            self.prune = prune
            index = WebexTenantIndex(export, imported: imported)
            desired = CanonicalForm.renderedEntities(files)
        }

        mutating func plan(org: String, now: Date) -> (WebexPlan, [WebexPlanError]) {
            var plan = WebexPlan(org: org)
            var renamed: [Section: [String: String]] = [:]
            for section in WebexPlanner.sections { renamed[section] = match(section) }
            guard errors.isEmpty else { return (plan, errors) }
            let before = tenantRows(renamed: renamed)
            let beforeConfiguration = CanonicalForm.configuration(from: before, name: "webex")
            let current = CanonicalForm.renderedEntities(beforeConfiguration)
            var after = current
            let mapping = WebexReverseMapping(
                reference: { [matches, desired] section, id in
                    if let match = matches[section]?[id] { return match.webexId }
                    guard desired[CanonicalForm.Key(kind: section.rawValue, id: id)] != nil, let resource = section.webexResource else { return nil }
                    return WebexPlaceholder.created(resource, id)
                }, tenant: index)
            for section in WebexPlanner.sections {
                let resource = section.webexResource!
                let kind = section.rawValue
                let ours = desired.filter { $0.key.kind == kind }
                let theirs = current.filter { $0.key.kind == kind }
                for (key, text) in ours.sorted(by: { $0.key < $1.key }) {
                    let entity = (try? JSON.parse(text)) ?? .object([])
                    let location = files.location(of: key.id, in: section)
                    if let old = theirs[key], let match = matches[section]?[key.id] {
                        guard old != text else { continue }
                        let (change, pushed) = update(
                            section, key.id, match: match, from: (try? JSON.parse(old)) ?? .object([]), to: entity, mapping: mapping, plan: &plan)
                        after[key] = pushed.rendered()
                        if var change {
                            (change.file, change.line) = (location?.file, location?.line)
                            plan.changes.append(change)
                        }
                    } else {
                        switch mapping.create(section, id: key.id, entity) {
                        case .notPushable(let reason, let place):
                            plan.notPushable.append(
                                .init(resource: resource.rawValue, webexId: nil, id: key.id, field: nil, reason: reason, place: place))
                        case .fields(let fields):
                            after[key] = text
                            plan.changes.append(
                                .init(
                                    action: .create, resource: resource, webexId: nil, id: key.id, name: entity["name"]?.stringValue ?? key.id,
                                    matchedBy: nil,
                                    fields: fields.filter { $0.new != nil }.map { .init(webexField: $0.webexField, old: nil, new: $0.new) },
                                    version: nil,
                                    section: section, file: location?.file, line: location?.line))
                        }
                    }
                }
                let matched = Set((matches[section] ?? [:]).values.map(\.webexId))
                for (key, _) in theirs.sorted(by: { $0.key < $1.key }) where ours[key] == nil {
                    guard let webexId = tenantIds[section]?[key.id], !matched.contains(webexId) else { continue }
                    let name = index.name(resource, webexId)
                    if !prune {
                        plan.unmanaged.append(.init(resource: resource, webexId: webexId, name: name))
                    } else if section == .agents {
                        plan.notPushable.append(
                            .init(
                                resource: resource.rawValue, webexId: webexId, id: key.id, field: nil,
                                reason: "users are deleted in Control Hub; the API cannot delete one", place: "Control Hub: Users"))
                    } else {
                        after[key] = nil
                        plan.changes.append(
                            .init(
                                action: .delete, resource: resource, webexId: webexId, id: key.id, name: name, matchedBy: nil, fields: [],
                                version: versions[resource]?[webexId], section: section, file: nil, line: nil))
                    }
                }
            }
            notPushableTenant(into: &plan)
            for (key, field) in dropUnreachable(&plan) {
                // What cannot land is not in the impact.
                if let field, let now = after[key].flatMap({ try? JSON.parse($0) }) {
                    after[key] = now.setting(field, to: current[key].flatMap { try? JSON.parse($0) }?[field]).rendered()
                } else {
                    after[key] = current[key]
                }
            }
            plan.changes = WebexPlan.sorted(plan.changes)
            let afterConfiguration = CanonicalForm.configuration(from: after, name: "webex")
            plan.impact = Plan.impact(
                before: OutboundGate(configuration: beforeConfiguration, now: now).availability(),
                after: OutboundGate(configuration: afterConfiguration, now: now).availability())
            return (plan, errors)
        }

        /// An update of a matched entity: the Webex fields of each format field that differs,
        /// and the entity as it will be once they land (not-pushable fields keep the tenant's).
        private func update(
            _ section: Section, _ id: String, match: (webexId: String, by: WebexPlan.MatchedBy), from old: JSON, to new: JSON,
            mapping: WebexReverseMapping, plan: inout WebexPlan
        ) -> (WebexPlan.Change?, JSON) {
            let resource = section.webexResource!
            guard case .object(let oldMembers) = old, case .object(let newMembers) = new else { return (nil, old) }
            var names = newMembers.map(\.0)
            for (name, _) in oldMembers where !names.contains(name) { names.append(name) }
            var result = old
            var fields: [WebexPlan.FieldChange] = []
            for name in names where name != "externalId" && old[name] != new[name] {
                switch mapping.update(section, name, to: new[name], in: new, webexId: match.webexId) {
                case .notPushable(let reason, let place):
                    plan.notPushable.append(
                        .init(resource: resource.rawValue, webexId: match.webexId, id: id, field: name, reason: reason, place: place))
                case .fields(let sent):
                    let changed = sent.filter { $0.old != $0.new }
                    // Only what is sent moves the impact: a field Webex already holds as the
                    // files say (a site's default profile) leaves the entity as the tenant has it.
                    guard !changed.isEmpty else { continue }
                    result = result.setting(name, to: new[name])
                    for field in changed where !fields.contains(where: { $0.webexField == field.webexField }) {
                        fields.append(.init(webexField: field.webexField, old: field.old, new: field.new, formatField: name))
                    }
                }
            }
            guard !fields.isEmpty else { return (nil, result) }
            return (
                WebexPlan.Change(
                    action: .update, resource: resource, webexId: match.webexId, id: id, name: index.name(resource, match.webexId),
                    matchedBy: match.by,
                    fields: fields, version: versions[resource]?[match.webexId], section: section, file: nil, line: nil),
                result
            )
        }

        /// Matches the files' entities of `section` with the imported ones — by `externalId`,
        /// else by the id the import gives the Webex name (users: by email) — and returns the
        /// new id of every imported entity: the files' id when matched, another when an
        /// unmatched one would take an id the files use.
        private mutating func match(_ section: Section) -> [String: String] {
            let resource = section.webexResource!
            let entries = imported.sections[section] ?? []
            var byWebexId: [String: String] = [:]
            var webexIdOf: [String: String] = [:]
            var byEmail: [String: String] = [:]
            for entry in entries {
                let fields = JSON.object(entry.fields)
                if let webexId = fields["externalId"]?.stringValue {
                    byWebexId[webexId] = entry.id
                    webexIdOf[entry.id] = webexId
                }
                if section == .agents, let email = fields["email"]?.stringValue { byEmail[email.lowercased()] = entry.id }
            }
            let importedIds = Set(entries.map(\.id))
            var taken: [String: String] = [:]  // imported id → the files' id
            var found: [String: (webexId: String, by: WebexPlan.MatchedBy)] = [:]
            let ours = desired.keys.filter { $0.kind == section.rawValue }.sorted()
            var byName: [CanonicalForm.Key] = []
            for key in ours {
                let entity = (try? JSON.parse(desired[key]!)) ?? .object([])
                guard let externalId = entity["externalId"]?.stringValue else {
                    byName.append(key)
                    continue
                }
                guard let importedId = byWebexId[externalId] else {
                    let skipped = imported.report.skipped.first { $0.resource == resource && $0.webexId == externalId }
                    errors.append(
                        WebexPlanError(
                            location: files.location(of: key.id, in: section), path: "\(section.rawValue).\(key.id).externalId",
                            message: skipped.map { "'\(externalId)' is a \(resource.rawValue) import webex leaves out: \($0.reason)" }
                                ?? "'\(externalId)' names no \(resource.rawValue) in the tenant"))
                    continue
                }
                if let other = taken[importedId] {
                    errors.append(
                        WebexPlanError(
                            location: files.location(of: key.id, in: section), path: "\(section.rawValue).\(key.id).externalId",
                            message: "'\(externalId)' is also the externalId of \(section.rawValue).\(other)"))
                    continue
                }
                taken[importedId] = key.id
                found[key.id] = (externalId, .externalId)
            }
            var unmatched: [(CanonicalForm.Key, JSON)] = []
            for key in byName {
                let entity = (try? JSON.parse(desired[key]!)) ?? .object([])
                let candidate =
                    section == .agents
                    ? entity["email"]?.stringValue.flatMap { byEmail[$0.lowercased()] } : (importedIds.contains(key.id) ? key.id : nil)
                guard let importedId = candidate, taken[importedId] == nil, let webexId = webexIdOf[importedId] else {
                    unmatched.append((key, entity))
                    continue
                }
                taken[importedId] = key.id
                found[key.id] = (webexId, .name)
            }
            // Then by the Webex name itself (case aside), as push looks before it creates: an
            // entry whose id is not its name's slug still finds the entity it created.
            if section != .agents, !unmatched.isEmpty {
                var byWebexName: [String: [String]] = [:]
                for (importedId, webexId) in webexIdOf where taken[importedId] == nil {
                    byWebexName[index.name(resource, webexId).lowercased(), default: []].append(importedId)
                }
                for (key, entity) in unmatched {
                    let name = (entity["name"]?.stringValue ?? key.id).lowercased()
                    guard let candidates = byWebexName[name], candidates.count == 1, let importedId = candidates.first, taken[importedId] == nil
                    else { continue }
                    taken[importedId] = key.id
                    found[key.id] = (webexIdOf[importedId]!, .name)
                }
            }
            matches[section] = found
            var renamed = taken
            let used = Set(ours.map(\.id))
            for id in importedIds where taken[id] == nil && used.contains(id) {
                var suffix = 1
                while used.contains("\(id)-webex\(suffix == 1 ? "" : "-\(suffix)")")
                    || importedIds.contains("\(id)-webex\(suffix == 1 ? "" : "-\(suffix)")")
                {
                    suffix += 1
                }
                renamed[id] = "\(id)-webex\(suffix == 1 ? "" : "-\(suffix)")"
            }
            tenantIds[section] = Dictionary(webexIdOf.map { (renamed[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            return renamed
        }

        /// The tenant as imported, with the files' ids, as canonical rows. Licences and the
        /// tenant's own fields are the files' (the API holds neither), except the agents'
        /// licence types, which are the tenant's.
        private func tenantRows(renamed: [Section: [String: String]]) -> [CanonicalForm.Key: String] {
            var rows: [CanonicalForm.Key: String] = [:]
            for (key, text) in desired where key.kind == "tenant" || key.kind == Section.licences.rawValue { rows[key] = text }
            var tenant = (rows[.tenant].flatMap { try? JSON.parse($0) }) ?? .object([])
            for (name, value) in imported.tenant { tenant = tenant.setting(name, to: value) }
            if case .object(let members) = tenant, !members.isEmpty { rows[.tenant] = tenant.rendered() }
            // A licence of each type: the files' first of that type, else the imported one.
            var licenceOfType: [String: String] = [:]
            for licence in files.licences.values.sorted(by: { $0.id < $1.id }) where licenceOfType[licence.type.value.rawValue] == nil {
                licenceOfType[licence.type.value.rawValue] = licence.id
            }
            for entry in imported.sections[.licences] ?? [] where licenceOfType[entry.id] == nil {
                var id = entry.id
                while files.licences[id] != nil { id += "-webex" }
                licenceOfType[entry.id] = id
                rows[CanonicalForm.Key(kind: Section.licences.rawValue, id: id)] = JSON.object(entry.fields).rendered()
            }
            for section in WebexPlanner.sections {
                let names = renamed[section] ?? [:]
                for entry in imported.sections[section] ?? [] {
                    let id = names[entry.id] ?? entry.id
                    var fields = JSON.object(entry.fields)
                    for (field, target) in section.referenceFields {
                        let targetNames = renamed[target] ?? [:]
                        switch fields[field] {
                        case .string(let value)?: fields = fields.setting(field, to: .string(targetNames[value] ?? value))
                        case .array(let values)?:
                            fields = fields.setting(field, to: .array(values.map { $0.stringValue.map { .string(targetNames[$0] ?? $0) } ?? $0 }))
                        default: break
                        }
                    }
                    if section == .agents, let type = fields["licence"]?.stringValue {
                        // The files' own licence when the type is the same: then it is no change.
                        let ours = desired[CanonicalForm.Key(kind: section.rawValue, id: id)].flatMap { try? JSON.parse($0) }?["licence"]?.stringValue
                        let same = ours.flatMap { files.licences[$0] }.map { $0.type.value.rawValue == type } ?? false
                        fields = fields.setting("licence", to: .string(same ? ours! : licenceOfType[type] ?? type))
                    }
                    rows[CanonicalForm.Key(kind: section.rawValue, id: id)] = fields.rendered()
                }
            }
            return rows
        }

        /// A field naming an entity push cannot create (an entry point) cannot land: it becomes
        /// not pushable, and a create holding one is not pushable whole — and so, in turn, are
        /// the fields naming what that create would have made. Returns the entities whose
        /// planned state must go back to the tenant's (dropped creates: nil; fields of updates).
        private func dropUnreachable(_ plan: inout WebexPlan) -> [(key: CanonicalForm.Key, field: String?)] {
            var dropped: [(key: CanonicalForm.Key, field: String?)] = []
            while true {
                let creatable = Set(plan.changes.filter { $0.action == .create }.map { WebexPlaceholder.created($0.resource, $0.id) })
                func unreachable(_ field: WebexPlan.FieldChange) -> String? {
                    WebexPlaceholder.named(in: field).first { !creatable.contains($0) }
                }
                guard let index = plan.changes.firstIndex(where: { $0.fields.contains { unreachable($0) != nil } }) else { return dropped }
                var change = plan.changes[index]
                let key = CanonicalForm.Key(kind: change.section.rawValue, id: change.id)
                for field in change.fields {
                    guard let missing = unreachable(field) else { continue }
                    plan.notPushable.append(
                        .init(
                            resource: change.resource.rawValue, webexId: change.webexId, id: change.id, field: field.webexField,
                            reason: "it names \(WebexPlaceholder.described(missing)), which push cannot create",
                            place: "create that first (see its own entry), then plan again"))
                    if change.action == .update { dropped.append((key, field.formatField)) }
                }
                change.fields.removeAll { unreachable($0) != nil }
                if change.action == .create || change.fields.isEmpty {
                    plan.changes.remove(at: index)
                    if change.action == .create { dropped.append((key, nil)) }
                } else {
                    plan.changes[index] = change
                }
            }
        }

        /// The tenant's fields the files change: the API holds none of them.
        private func notPushableTenant(into plan: inout WebexPlan) {
            guard let ours = files.tenant else { return }
            let theirs = JSON.object(imported.tenant)
            let fields: [(String, JSON?)] = [
                ("digitalChannels", .string(ours.digitalChannels.value.rawValue)), ("timezone", ours.timezone.map { .string($0.value) }),
            ]
            for (name, value) in fields where theirs[name] != nil && theirs[name] != value {
                plan.notPushable.append(
                    .init(
                        resource: "tenant", webexId: nil, id: "tenant", field: name, reason: "the API does not hold the tenant's \(name)",
                        place: "Control Hub: Contact Center settings (and extra.yaml for import webex)"))
            }
        }
    }
}

extension JSON {
    /// The object with member `name` set to `value` (appended when new), or removed for nil.
    func setting(_ name: String, to value: JSON?) -> JSON {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == name }) {
            if let value { members[index].1 = value } else { members.remove(at: index) }
        } else if let value {
            members.append((name, value))
        }
        return .object(members)
    }
}
