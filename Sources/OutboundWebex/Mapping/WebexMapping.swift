import Foundation
import OutboundConfig

/// A Webex export mapped to this tool's sections: the entries to write, field by field in the
/// format's order, and the report of everything that did not come over as it was. The rules
/// are SPEC §9's and `docs/webex.md`'s, which lists them field by field.
public struct WebexImport: Sendable {
    public typealias Fields = [(String, JSON)]

    /// The tenant's fields (from `extra.yaml`; the API has none of them).
    public var tenant: Fields = []
    /// Each section's entries, in id order.
    public var sections: [Section: [(id: String, fields: Fields)]] = [:]
    public var report = WebexImportReport()
    /// Problems of `extra.yaml`, located at file:line:col; an error stops the import.
    public var extraDiagnostics: [Diagnostic] = []
    /// Problems of the export found while mapping (a desktop profile naming no entry point),
    /// located by file and JSON path; an error stops the import.
    public var problems: [WebexInputProblem] = []

    public var hasErrors: Bool {
        extraDiagnostics.hasErrors || problems.contains { $0.severity == .error }
    }

    /// Maps `export`, filling in from `extra`.
    public static func map(_ export: WebexExport, extra: WebexExtra) -> WebexImport {
        var mapper = WebexMapper(export: export, extra: extra)
        return mapper.run()
    }

    /// The output files: `tenant.yaml` with `version: 1`, then one file per section, every
    /// section written even when empty, so importing again over an older import (`--force`)
    /// leaves no stale entries behind.
    public func files() -> [(name: String, text: String)] {
        ExportedFiles.files(
            header: "# Imported by `outboundctl import webex` from a Webex Contact Center export.\n", tenant: .object(tenant),
            sections: sections.mapValues { $0.map { ($0.id, JSON.object($0.fields)) } }, writingEmpty: true)
    }
}

/// One run of the mapping: the export, what is mapped so far, and the report being written.
struct WebexMapper {
    typealias Fields = WebexImport.Fields

    let export: WebexExport
    let extra: WebexExtra
    private var result = WebexImport()
    /// This tool's id of every imported item, by resource and Webex id.
    private var ids: [WebexResource: [String: String]] = [:]
    /// The channel of every imported entry point and queue, by Webex id.
    private var entryPointChannels: [String: Channel] = [:]
    private var queueChannels: [String: Channel] = [:]

    init(export: WebexExport, extra: WebexExtra) {
        self.export = export
        self.extra = extra
    }

    mutating func run() -> WebexImport {
        mapMultimediaProfiles()
        mapSites()
        mapTeams()
        mapWrapUpReasons()
        let entryPointIds = chooseEntryPoints()
        mapQueues()
        mapEntryPoints(entryPointIds)
        mapDesktopProfiles()
        mapAgents()
        reportTeamMembership()
        mapTenant()
        reportUnmappedFields()
        result.report.fieldWarnings = export.fieldWarnings
        result.report.counts = Section.allCases.map { ($0, result.sections[$0]?.count ?? 0) }
        for section in Section.allCases { result.sections[section]?.sort { $0.id < $1.id } }
        return result
    }

    // MARK: Report helpers

    private mutating func skip(_ resource: WebexResource, _ id: String, _ name: String, _ reason: String) {
        result.report.skipped.append(.init(resource: resource, webexId: id, name: name, location: export.locations[resource]?[id], reason: reason))
    }

    private mutating func change(_ path: String, _ message: String) {
        result.report.changes.append(.init(path: path, message: message))
    }

    private mutating func fill(_ section: Section, _ id: String, _ field: String, required: Bool = true, _ message: String) {
        result.report.fill.append(
            .init(path: "\(section.rawValue).\(id).\(field)", file: "\(section.rawValue).yaml", required: required, message: message))
    }

    /// Gives the imported items of `resource` their ids (SPEC §9: slugs of the names,
    /// collisions suffixed in a stable order).
    private mutating func assignIds(
        _ resource: WebexResource, _ items: [(webexId: String, name: String)], fallback: String,
        reserved: Set<String> = []
    ) {
        ids[resource] = WebexIds.assign(items, fallback: fallback, reserved: reserved)
    }

    /// The items of a list that import — those `notImported` has no reason against; the
    /// others are reported with it — with their ids given.
    private mutating func choose<Item: WebexItem>(
        _ resource: WebexResource, _ items: [Item], name: (Item) -> String, fallback: String,
        reserved: Set<String> = [], notImported: (Item) -> String?
    ) -> [Item] {
        var imported: [Item] = []
        for item in items {
            if let reason = notImported(item) { skip(resource, item.id, name(item), reason) } else { imported.append(item) }
        }
        assignIds(resource, imported.map { ($0.id, name($0)) }, fallback: fallback, reserved: reserved)
        return imported
    }

    /// This tool's id of an imported item; nil for an item not imported (or absent).
    private func ourId(_ resource: WebexResource, _ webexId: String?) -> String? {
        webexId.flatMap { ids[resource]?[$0] }
    }

    private mutating func add(_ section: Section, _ id: String, _ fields: [(String, JSON?)]) {
        result.sections[section, default: []].append((id, fields.compactMap { key, value in value.map { (key, $0) } }))
    }

    private func text(_ value: String?) -> JSON? {
        guard let value, !value.isEmpty else { return nil }
        return .string(value)
    }

    /// The sections without a `name` field keep the Webex name as the description when the
    /// Webex item has none, so the name an admin knows stays readable beside its slug.
    private func description(_ description: String?, name: String) -> JSON? {
        text(description) ?? text(name)
    }

    // MARK: Sections

    private mutating func mapMultimediaProfiles() {
        // A Webex profile named "Default Telephony" must not take the built-in profile's id.
        let imported = choose(
            .multimediaProfile, export.multimediaProfiles, name: \.name, fallback: "profile", reserved: [MultimediaProfile.defaultTelephonyId]
        ) {
            $0.active ? nil : "inactive (the format has no inactive profiles)"
        }
        for profile in imported {
            let id = ourId(.multimediaProfile, profile.id)!
            let path = "multimediaProfiles.\(id)"
            let blending: Blending? =
                switch profile.blendingMode {
                case "BLENDED": .blended
                case "BLENDED_REALTIME": .blendedRealtime
                case "EXCLUSIVE": .exclusive
                default: nil
                }
            if blending == nil {
                fill(
                    .multimediaProfiles, id, "blending",
                    "blended, blended-realtime or exclusive: Webex's blendingMode '\(profile.blendingMode)' has no counterpart")
            }
            let manual = profile.manuallyAssignable
            for (medium, count) in [("voice", manual?.telephony ?? 0), ("chat", manual?.chat ?? 0)] where count > 0 {
                change(
                    "\(path).\(medium)",
                    "\(count) manually assignable \(medium) slot(s) left out: the format has manual assignment for email and social only")
            }
            // Cisco's schema bounds no slot count; the format's ranges are Webex's own limits.
            let voice = slotCount(profile.telephony, in: 0...1, path: "\(path).voice")
            let chat = slotCount(profile.chat, in: 0...5, path: "\(path).chat")
            var blendingMode = blending
            if blending == .blendedRealtime, voice != 1 || chat < 1 {
                change(
                    "\(path).blending",
                    "BLENDED_REALTIME with \(voice) voice and \(chat) chat slots: imported as blended (blended-realtime needs voice 1 and chat at least 1)"
                )
                blendingMode = .blended
            }
            add(
                .multimediaProfiles, id,
                [
                    ("description", description(profile.description, name: profile.name)),
                    ("blending", blendingMode.map { .string($0.rawValue) }),
                    ("voice", voice == 0 ? nil : .int(voice)),
                    ("chat", chat == 0 ? nil : .int(chat)),
                    ("email", slots(pushed: profile.email, manual: manual?.email ?? 0, manualLimit: 10, path: "\(path).email")),
                    ("social", slots(pushed: profile.social, manual: manual?.social ?? 0, manualLimit: 5, path: "\(path).social")),
                    ("externalId", .string(profile.id)),
                ])
        }
    }

    /// A slot count brought into the format's range, with a line when that changed it.
    private mutating func slotCount(_ count: Int, in range: ClosedRange<Int>, path: String) -> Int {
        let kept = min(max(count, range.lowerBound), range.upperBound)
        if kept != count {
            change(path, "\(count) slots in Webex: imported as \(kept), the format allows \(range.lowerBound) to \(range.upperBound)")
        }
        return kept
    }

    /// A medium's slots: pushed ones as the integer form, manually assignable ones as
    /// `{assignment: manual}`. With both, the pushed slots win: the agent has pushed slots,
    /// which is what lets Webex start an outbound conversation (SPEC §1, check 4).
    private mutating func slots(pushed: Int, manual: Int, manualLimit: Int, path: String) -> JSON? {
        let pushed = slotCount(pushed, in: 0...5, path: path)
        let manual = slotCount(manual, in: 0...manualLimit, path: "\(path).slots")
        if pushed > 0, manual > 0 {
            change(
                path,
                "both \(pushed) pushed and \(manual) manually assignable slots: imported as \(pushed) auto-pushed, the manually assignable ones left out (one assignment per medium in the format)"
            )
        }
        if pushed > 0 { return .int(pushed) }
        if manual > 0 { return .object([("assignment", .string(Assignment.manual.rawValue)), ("slots", .int(manual))]) }
        return nil
    }

    private mutating func mapSites() {
        let imported = choose(.site, export.sites, name: \.name, fallback: "site") { $0.active ? nil : "inactive (the format has no inactive sites)" }
        for site in imported {
            let id = ourId(.site, site.id)!
            add(
                .sites, id,
                [
                    ("name", text(site.name)),
                    ("multimediaProfile", profileReference(site.multimediaProfileId, path: "sites.\(id).multimediaProfile")),
                    ("externalId", .string(site.id)),
                ])
        }
    }

    /// An optional profile reference; one to a profile not imported is left out, with a line.
    private mutating func profileReference(_ webexId: String?, path: String) -> JSON? {
        guard let webexId else { return nil }
        if let id = ourId(.multimediaProfile, webexId) { return .string(id) }
        change(path, Self.unimportedProfile(webexId))
        return nil
    }

    private static func unimportedProfile(_ webexId: String) -> String {
        "left out: its Webex profile \(webexId) is not imported (see below), so the next level's profile applies"
    }

    private mutating func mapTeams() {
        let imported = choose(
            .team, export.teams, name: { $0.name ?? "" }, fallback: "team",
            notImported: { $0.active ?? true ? nil : "inactive (the format has no inactive teams)" })
        for team in imported {
            let id = ourId(.team, team.id)!
            let site = ourId(.site, team.siteId)
            if site == nil {
                fill(
                    .teams, id, "site",
                    "the team's site: " + (team.siteId == nil ? "Webex names none" : "its Webex site \(team.siteId!) is not imported"))
            }
            add(
                .teams, id,
                [
                    ("name", text(team.name)),
                    ("site", site.map { .string($0) }),
                    ("multimediaProfile", profileReference(team.multiMediaProfileId, path: "teams.\(id).multimediaProfile")),
                    ("externalId", .string(team.id)),
                ])
        }
    }

    private mutating func mapWrapUpReasons() {
        let imported = choose(.auxiliaryCode, export.auxiliaryCodes, name: \.name, fallback: "reason") {
            $0.workTypeCode == .idleCode ? "an idle code: the format has no idle codes" : nil
        }
        // The format needs exactly one default among the active reasons (OB308); Webex does not
        // hold to that. The first by id is kept, or made, the default, with a line.
        let ids = imported.map { ourId(.auxiliaryCode, $0.id)! }
        let active = zip(imported, ids).filter { $0.0.active }
        let defaults = active.filter { $0.0.defaultCode }.map(\.1).sorted()
        for extra in defaults.dropFirst() {
            change(
                "wrapUpReasons.\(extra).default",
                "a second active default wrap-up code in Webex: imported as no default ('\(defaults[0])' is the default; the format has one)")
        }
        var chosen = defaults.first
        if chosen == nil, let first = active.map(\.1).min() {
            change(
                "wrapUpReasons.\(first).default",
                "no active Webex wrap-up code is the default, and the format needs one: '\(first)' made it; move default: true if another should be")
            chosen = first
        }
        for (code, id) in zip(imported, ids) {
            add(
                .wrapUpReasons, id,
                [
                    ("description", description(code.description, name: code.name)),
                    ("default", code.active ? (id == chosen ? .bool(true) : nil) : (code.defaultCode ? .bool(true) : nil)),
                    ("active", code.active ? nil : .bool(false)),
                    ("externalId", .string(code.id)),
                ])
        }
    }

    /// The format's channel of a Webex channel and social network; nil for those without a
    /// counterpart. SMS is `SOCIAL_CHANNEL` with `MESSAGEBIRD`, and the social network means
    /// something only on `SOCIAL_CHANNEL` (SPEC §9).
    private static func channel(_ type: String, social: WebexSocialChannel?) -> Channel? {
        switch type {
        case "EMAIL": .email
        case "CHAT": .chat
        case "TELEPHONY": .voice
        case "SOCIAL_CHANNEL":
            switch social {
            case .messageBird: .sms
            case .whatsApp: .whatsapp
            case .messenger: .facebook
            case .appleBusinessChat: .appleMessages
            case .googleBusinessMessages, nil: nil
            }
        default: nil
        }
    }

    private static func channelName(_ type: String, social: WebexSocialChannel?) -> String {
        type == "SOCIAL_CHANNEL" ? "\(type)/\(social?.rawValue ?? "no socialChannelType")" : type
    }

    /// The entry points that import (active, of a channel the format has, not outdial), with
    /// their ids; their fields wait for the queues, which `extra.yaml` may name.
    private mutating func chooseEntryPoints() -> [WebexEntryPoint] {
        let imported = choose(.entryPoint, export.entryPoints, name: \.name, fallback: "entry-point") { entryPoint in
            if !entryPoint.active { return "inactive (the format has no inactive entry points)" }
            if entryPoint.entryPointType == .outbound { return "an outdial (OUTBOUND telephony) entry point: outdial is out of the format's scope" }
            return Self.channel(entryPoint.channelType.rawValue, social: entryPoint.socialChannelType) == nil
                ? "channel \(Self.channelName(entryPoint.channelType.rawValue, social: entryPoint.socialChannelType)) has no counterpart in the format"
                : nil
        }
        for entryPoint in imported {
            entryPointChannels[entryPoint.id] = Self.channel(entryPoint.channelType.rawValue, social: entryPoint.socialChannelType)
        }
        return imported
    }

    private mutating func mapQueues() {
        let imported = choose(.queue, export.queues, name: \.name, fallback: "queue") { queue in
            if !queue.active { return "inactive (the format has no inactive queues)" }
            if queue.queueRoutingType == .agentBased { return "agent-based: the format's queues serve teams, and Webex names its agents one by one" }
            return Self.channel(queue.channelType.rawValue, social: queue.socialChannelType) == nil
                ? "channel \(Self.channelName(queue.channelType.rawValue, social: queue.socialChannelType)) has no counterpart in the format" : nil
        }
        for queue in imported { queueChannels[queue.id] = Self.channel(queue.channelType.rawValue, social: queue.socialChannelType) }
        for queue in imported {
            let id = ourId(.queue, queue.id)!
            let path = "queues.\(id)"
            let routing: Routing?
            switch queue.routingType {
            case .longestAvailableAgent: routing = .longestAvailable
            case .skillsBased: routing = .skillsBased
            case .circular, .linear:
                routing = nil
                change(
                    "\(path).routing",
                    "Webex routingType \(queue.routingType.rawValue) has no counterpart: imported with the default, longest-available")
            }
            if queue.callDistributionGroups.count > 1 {
                change(
                    "\(path).teams",
                    "Webex offers the queue to \(queue.callDistributionGroups.count) distribution groups in turn; the format has one set of teams, so the teams of all groups serve it at once"
                )
            }
            var teams: [String] = []
            for teamId in queue.teamIds {
                if let team = ourId(.team, teamId) {
                    teams.append(team)
                } else {
                    change("\(path).teams", "team \(teamId) left out: it is not imported")
                }
            }
            if teams.isEmpty { fill(.queues, id, "teams", "at least one team the queue serves: none of its Webex teams is imported") }
            add(
                .queues, id,
                [
                    ("description", description(queue.description, name: queue.name)),
                    ("channel", .string(queueChannels[queue.id]!.rawValue)),
                    ("routing", routing == .skillsBased ? .string(Routing.skillsBased.rawValue) : nil),
                    ("teams", teams.isEmpty ? nil : .array(teams.sorted().map { .string($0) })),
                    ("serviceLevelSeconds", queue.serviceLevelThreshold > 0 ? .int(queue.serviceLevelThreshold) : nil),
                    ("maxTimeInQueueSeconds", queue.maxTimeInQueue > 0 ? .int(queue.maxTimeInQueue) : nil),
                    ("externalId", .string(queue.id)),
                ])
        }
    }

    /// The Webex items of a list that a name or id in `extra.yaml` stands for: the item of
    /// that id, else those of that name.
    private static func named<Item: WebexItem>(_ key: String, in items: [Item], name: (Item) -> String?) -> [Item] {
        if let item = items.first(where: { $0.id == key }) { return [item] }
        return items.filter { name($0) == key }
    }

    /// Why a name or id of extra.yaml names no item or several.
    private static func notOne<Item: WebexItem>(_ key: String, _ found: [Item], noun: String, file: String, names: [String]) -> String {
        found.isEmpty
            ? "'\(key)' is not the name or id of any \(noun) of \(file)"
                + (Suggestion.closest(to: key, in: names).map { "; did you mean '\($0)'?" } ?? "")
            : "'\(key)' is the name of \(found.count) \(noun)s; name one by its id (\(found.map(\.id).joined(separator: ", ")))"
    }

    private mutating func mapEntryPoints(_ imported: [WebexEntryPoint]) {
        // What extra.yaml gives each imported entry point, with the Webex queue it names.
        var fills: [String: (entry: WebexExtra.EntryPointFill, queue: WebexQueue?)] = [:]
        for entry in extra.entryPoints {
            let found = Self.named(entry.key.value, in: export.entryPoints, name: \.name)
            let path = "entryPoints.\(entry.key.value)"
            guard found.count == 1, let entryPoint = found.first else {
                let message = Self.notOne(
                    entry.key.value, found, noun: "entry point", file: "entry-point.json", names: export.entryPoints.map(\.name))
                result.extraDiagnostics.append(Diagnostic(.unknownReference, message, at: entry.key.location, path: path))
                continue
            }
            guard let id = ourId(.entryPoint, entryPoint.id) else {
                change("extra.yaml \(path)", "not used: the entry point is not imported (see below)")
                continue
            }
            if let address = entry.address, let channel = entryPointChannels[entryPoint.id],
                let mismatch = AddressFormat.mismatch(address.value, channel: channel, path: path)
            {
                result.extraDiagnostics.append(Diagnostic(.addressMismatch, mismatch, at: address.location, path: "\(path).address"))
            }
            var webexQueue: WebexQueue?
            if let queue = entry.queue {
                let queues = Self.named(queue.value, in: export.queues, name: \.name)
                webexQueue = queues.count == 1 ? queues[0] : nil
                if queues.count != 1 {
                    let message = Self.notOne(
                        queue.value, queues, noun: "queue", file: "contact-service-queue.json", names: export.queues.map(\.name))
                    result.extraDiagnostics.append(Diagnostic(.unknownReference, message, at: queue.location, path: "\(path).queue"))
                } else if let queueChannel = queueChannels[queues[0].id], let channel = entryPointChannels[entryPoint.id], queueChannel != channel {
                    result.extraDiagnostics.append(
                        Diagnostic(
                            .queueChannelMismatch,
                            "queue '\(queue.value)' serves \(queueChannel.rawValue), but entry point '\(entry.key.value)' is \(channel.rawValue)",
                            at: queue.location, path: "\(path).queue"))
                }
            }
            if let earlier = fills[id]?.entry {
                result.extraDiagnostics.append(
                    Diagnostic(
                        .duplicateId, "'\(entry.key.value)' and '\(earlier.key.value)' name the same entry point; give its address and queue once",
                        at: entry.key.location, path: path, notes: [.init("first named here", at: earlier.key.location)]))
                continue
            }
            fills[id] = (entry, webexQueue)
        }
        for entryPoint in imported {
            let id = ourId(.entryPoint, entryPoint.id)!
            let channel = entryPointChannels[entryPoint.id]!
            let outbound = channel.supportsOutbound
            let given = fills[id]
            let address = given?.entry.address?.value
            if address == nil, [.email, .sms, .whatsapp].contains(channel) {
                fill(
                    .entryPoints, id, "address",
                    "the \(channel == .email ? "email address" : "E.164 number") customers reach '\(entryPoint.name)' at: the Webex API does not hold it (extra.yaml entryPoints)"
                )
            }
            var queue: String?
            if let webexQueue = given?.queue, let key = given?.entry.queue?.value {
                queue = ourId(.queue, webexQueue.id)
                if queue == nil { change("entryPoints.\(id).queue", "left out: extra.yaml names queue '\(key)', which is not imported") }
            }
            if queue == nil, outbound {
                fill(
                    .entryPoints, id, "queue", required: false,
                    "the queue replies and transfers of '\(entryPoint.name)' go to (extra.yaml entryPoints); the Webex entry point does not name one")
            }
            add(
                .entryPoints, id,
                [
                    ("description", description(entryPoint.description, name: entryPoint.name)),
                    ("channel", .string(channel.rawValue)),
                    ("address", address.map { .string($0) }),
                    ("outbound", outbound ? .bool(true) : nil),
                    ("queue", queue.map { .string($0) }),
                    ("externalId", .string(entryPoint.id)),
                ])
        }
    }

    private mutating func mapDesktopProfiles() {
        let imported = choose(.agentProfile, export.agentProfiles, name: \.name, fallback: "desktop") {
            $0.active ? nil : "inactive (the format has no inactive desktop profiles)"
        }
        for profile in imported {
            let id = ourId(.agentProfile, profile.id)!
            let path = "desktopProfiles.\(id)"
            let entryPoints = selection(
                profile, \.accessEntryPoint, \.entryPoints, ".entryPoints", path: "\(path).outboundEntryPoints",
                resource: .entryPoint, items: export.entryPoints, name: \.name
            ) { [entryPointChannels] webexId in
                entryPointChannels[webexId]?.supportsOutbound == true
            }
            let reasons = selection(
                profile, \.accessWrapUpCode, \.wrapUpCodes, ".wrapUpCodes", path: "\(path).wrapUpReasons",
                resource: .auxiliaryCode, items: export.auxiliaryCodes.filter { $0.workTypeCode == .wrapUpCode }, name: \.name
            ) { _ in true }
            var autoWrapUp: JSON?
            if profile.autoWrapUp == true {
                if let seconds = profile.autoWrapAfterSeconds, (1...3600).contains(seconds) {
                    autoWrapUp = .int(seconds)
                } else {
                    change(
                        "\(path).autoWrapUpSeconds",
                        "left out: Webex turns auto wrap-up on with \(profile.autoWrapAfterSeconds.map { "\($0) seconds" } ?? "no time"), and the format takes 1 to 3600 seconds"
                    )
                }
            }
            add(
                .desktopProfiles, id,
                [
                    ("description", description(profile.description, name: profile.name)),
                    ("outboundEntryPoints", entryPoints),
                    ("wrapUpReasons", reasons),
                    ("autoWrapUpSeconds", autoWrapUp),
                    ("externalId", .string(profile.id)),
                ])
        }
    }

    /// A desktop profile's list: `ALL` is `all` (left out, the default), `NONE` an empty list,
    /// `SPECIFIC` the imported items its list names (by Webex id, else by name: Cisco's
    /// document does not say which it holds), `PROVISIONED_VALUE` — set per user elsewhere,
    /// which the format cannot hold — `all`, with a line. `keep` picks the items the list of
    /// the format takes (outbound entry points only).
    private mutating func selection<Item: WebexItem>(
        _ profile: WebexAgentProfile, _ access: KeyPath<WebexAgentProfile, WebexAccess>, _ list: KeyPath<WebexAgentProfile, [String]?>,
        _ jsonField: String, path: String, resource: WebexResource, items: [Item], name: (Item) -> String?, keep: (String) -> Bool
    ) -> JSON? {
        switch profile[keyPath: access] {
        case .all: return nil
        case .none: return .array([])
        case .provisionedValue:
            change(path, "Webex provisions this list per user (PROVISIONED_VALUE), which the format cannot hold: imported as all")
            return nil
        case .specific:
            var chosen: [String] = []
            var leftOut = 0
            for (index, key) in (profile[keyPath: list] ?? []).enumerated() {
                let found = Self.named(key, in: items, name: name)
                guard found.count == 1, let item = found.first else {
                    let location = export.locations[.agentProfile]?[profile.id]
                    let message =
                        found.isEmpty
                        ? "'\(key)' is not the id or name of any item of \(resource.fileName(page: 1))"
                        : "'\(key)' is the name of \(found.count) items of \(resource.fileName(page: 1)) (\(found.map(\.id).joined(separator: ", "))): which one is meant is unclear"
                    result.problems.append(
                        WebexInputProblem(
                            .error, file: location?.file ?? WebexResource.agentProfile.fileName(page: 1),
                            jsonPath: (location?.jsonPath ?? "$") + "\(jsonField)[\(index)]", message: message))
                    continue
                }
                if let id = ourId(resource, item.id), keep(item.id) { chosen.append(id) } else { leftOut += 1 }
            }
            if leftOut > 0 {
                change(
                    path,
                    "\(leftOut) of the Webex profile's \(profile[keyPath: list]?.count ?? 0) listed item(s) left out: not imported, or not outbound")
            }
            return .array(Array(Set(chosen)).sorted().map { .string($0) })
        }
    }

    /// The licence type of a Webex user profile type; nil for those that handle no contacts.
    /// Supervisors take Webex's Premium Agent capability, so they hold premium-supervisor.
    private static func licenceType(_ type: WebexUserProfile.ProfileType) -> LicenceType? {
        switch type {
        case .premiumAgent: .premiumAgent
        case .standardAgent: .standardAgent
        case .supervisor: .premiumSupervisor
        case .administrator, .administratorOnly, .analyzerAdministrator, .analyzerSupervisor, .analyzerUser: nil
        }
    }

    private mutating func mapAgents() {
        var imported: [(WebexUser, LicenceType?)] = []
        let profileTypes = Dictionary(export.userProfiles.map { ($0.id, $0.profileType) }, uniquingKeysWith: { first, _ in first })
        for user in export.users {
            let name = [user.firstName, user.lastName].compactMap(\.self).joined(separator: " ")
            if user.contactCenterEnabled == false {
                skip(.user, user.id, name, "contactCenterEnabled is false: not a contact-center agent")
                continue
            }
            let type = user.userProfileId.flatMap { profileTypes[$0] } ?? user.userProfileType.flatMap(WebexUserProfile.ProfileType.init(rawValue:))
            if let type, Self.licenceType(type) == nil {
                skip(.user, user.id, name, "user profile type \(type.rawValue) handles no contacts: not an agent")
                continue
            }
            imported.append((user, type.flatMap(Self.licenceType)))
        }
        assignIds(.user, imported.map { ($0.0.id, $0.0.idSource) }, fallback: "agent")
        // Agents are mapped on all cores, each on its own, then taken in order.
        let drafts = ParallelMap.map(imported) { [ids] user, licence in Self.agent(user, licence: licence, ids: ids) }
        var seats: [LicenceType: Int] = [:]
        for ((_, licence), draft) in zip(imported, drafts) {
            if let licence { seats[licence, default: 0] += 1 }
            result.report.fill += draft.fill
            result.report.changes += draft.changes
            add(.agents, draft.id, draft.fields)
        }
        // One licence per type, named after it, with a seat for each agent holding it.
        for (type, count) in seats {
            add(
                .licences, type.rawValue,
                [
                    ("type", .string(type.rawValue)),
                    ("seats", .int(count)),
                    ("description", .string("Imported from Webex: the agents whose user profile type is \(Self.webexType(of: type))")),
                ])
        }
    }

    /// One agent's entry and its lines of the report, made apart from the others.
    private struct AgentDraft: Sendable {
        var id: String
        var fields: [(String, JSON?)]
        var fill: [WebexImportReport.Fill] = []
        var changes: [WebexImportReport.Change] = []
    }

    private static func agent(_ user: WebexUser, licence: LicenceType?, ids: [WebexResource: [String: String]]) -> AgentDraft {
        func ourId(_ resource: WebexResource, _ webexId: String?) -> String? { webexId.flatMap { ids[resource]?[$0] } }
        let id = ourId(.user, user.id)!
        var draft = AgentDraft(id: id, fields: [])
        func fill(_ field: String, _ message: String) {
            draft.fill.append(.init(path: "agents.\(id).\(field)", file: "agents.yaml", required: true, message: message))
        }
        func change(_ field: String, _ message: String) { draft.changes.append(.init(path: "agents.\(id).\(field)", message: message)) }
        var name = [user.firstName, user.lastName].compactMap { $0.map(Self.trimmingSpaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        if name.isEmpty { name = Self.trimmingSpaces(user.idSource).isEmpty ? id : Self.trimmingSpaces(user.idSource) }
        var email: JSON?
        if let address = user.email {
            if AddressFormat.isEmail(address) {
                email = .string(address)
            } else {
                change("email", "left out: '\(address)' is not an email address the format accepts")
            }
        }
        if licence == nil { fill("licence", "the agent's licence: its Webex user profile type is unknown") }
        let site = ourId(.site, user.siteId)
        if site == nil { fill("site", "the agent's site: " + (user.siteId.map { "its Webex site \($0) is not imported" } ?? "Webex names none")) }
        var teams: [String] = []
        for teamId in user.teamIds ?? [] {
            if let team = ourId(.team, teamId) { teams.append(team) } else { change("teams", "team \(teamId) left out: it is not imported") }
        }
        if teams.isEmpty {
            fill("teams", "at least one team: " + ((user.teamIds ?? []).isEmpty ? "Webex names none" : "none of its Webex teams is imported"))
        }
        let desktop = ourId(.agentProfile, user.agentProfileId)
        if desktop == nil {
            fill(
                "desktopProfile",
                "the agent's desktop profile: " + (user.agentProfileId.map { "its Webex agent profile \($0) is not imported" } ?? "Webex names none"))
        }
        var profile: String?
        if let webexId = user.multimediaProfileId {
            profile = ourId(.multimediaProfile, webexId)
            if profile == nil { change("multimediaProfile", Self.unimportedProfile(webexId)) }
        }
        draft.fields = [
            ("name", .string(name)),
            ("email", email),
            ("licence", licence.map { .string($0.rawValue) }),
            ("site", site.map { .string($0) }),
            ("teams", teams.isEmpty ? nil : .array(Array(Set(teams)).sorted().map { .string($0) })),
            ("desktopProfile", desktop.map { .string($0) }),
            ("multimediaProfile", profile.map { .string($0) }),
            ("active", user.active == false ? .bool(false) : nil),
            ("externalId", .string(user.id)),
        ]
        return draft
    }

    /// `text` without white space at either end; as it is when there is none (Foundation's
    /// trimming allocated for every one of 100,000 names).
    private static func trimmingSpaces(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private static func webexType(of licence: LicenceType) -> String {
        switch licence {
        case .premiumAgent: "PREMIUM_AGENT"
        case .standardAgent: "STANDARD_AGENT"
        case .premiumSupervisor, .standardSupervisor: "SUPERVISOR"
        }
    }

    /// A user's teams are its `teamIds` (SPEC §9); a team whose `userIds` says otherwise is
    /// reported, both ways. Exports mostly agree, and list both in user order: comparing the
    /// lists first spares sets of every team's 50,000 user ids.
    private mutating func reportTeamMembership() {
        var members: [String: [String]] = [:]
        for user in export.users { for team in user.teamIds ?? [] { members[team, default: []].append(user.id) } }
        for team in export.teams {
            guard let id = ourId(.team, team.id), let listed = team.userIds else { continue }
            let byUsers = members[team.id] ?? []
            guard listed != byUsers else { continue }
            let listedSet = Set(listed)
            let byUsersSet = Set(byUsers)
            for user in listed where !byUsersSet.contains(user) {
                change(
                    "teams.\(id)",
                    "Webex lists user \(user) in the team's userIds, but the user's teamIds do not name it: the user's teamIds are followed")
            }
            for user in byUsersSet.sorted() where !listedSet.contains(user) {
                change(
                    "teams.\(id)",
                    "user \(user) names the team in its teamIds, but the team's userIds do not list it: the user's teamIds are followed")
            }
        }
    }

    private mutating func mapTenant() {
        var fields: Fields = []
        if let name = extra.tenantName { fields.append(("name", .string(name.value))) }
        if let digital = extra.digitalChannels {
            fields.append(("digitalChannels", .string(digital.value.rawValue)))
        } else {
            result.report.fill.append(
                .init(
                    path: "tenant.digitalChannels", file: "tenant.yaml", required: true,
                    message: "enabled or disabled: the Webex API does not say (extra.yaml tenant)"))
        }
        if let timezone = extra.timezone { fields.append(("timezone", .string(timezone.value))) }
        result.tenant = fields
    }

    private mutating func reportUnmappedFields() {
        for resource in WebexResource.allCases {
            for (field, items) in (export.fieldCounts[resource] ?? [:]).sorted(by: { $0.key < $1.key }) where !resource.mappedFields.contains(field) {
                result.report.unmappedFields.append(.init(resource: resource, field: field, items: items))
            }
        }
    }
}
