import OutboundConfig

/// The import read backwards (SPEC §10, docs/webex.md "What push sends"): for one field of the
/// format, the Webex fields that hold it and the values that make `import webex` read the
/// files' value back — or why the API cannot take it. Only fields the format maps are ever
/// named here; every other Webex field is left as the tenant has it.
struct WebexReverseMapping {
    /// One Webex field to send: its dotted name, its value now (nil: absent, or a create) and
    /// the value to send (nil: remove the member).
    typealias Field = (webexField: String, old: JSON?, new: JSON?)

    enum Translation {
        case fields([Field])
        /// The API cannot hold the value: why, and where an admin changes it instead.
        case notPushable(reason: String, where: String)
    }

    /// The Webex id of an entity of the files: the matched entity's, or a placeholder for one
    /// this push creates, resolved when it lands.
    let reference: (Section, String) -> String?
    /// The tenant's items by id, for the values an update starts from.
    let tenant: WebexTenantIndex

    /// The fields an update of `field` sends: `value` is the files' canonical value (nil:
    /// absent, the format's default), `webexId` the entity being changed.
    func update(_ section: Section, _ field: String, to value: JSON?, in entity: JSON, webexId: String) -> Translation {
        if field == "multimediaProfile", let builtIn = Self.builtInProfile(value) { return builtIn }
        switch section {
        case .multimediaProfiles:
            guard let profile = tenant.multimediaProfiles[webexId] else { return .fields([]) }
            return multimediaProfile(field, value, profile, entity: entity)
        case .sites:
            guard let site = tenant.sites[webexId] else { return .fields([]) }
            switch field {
            case "name": return value.map { .fields([("name", .string(site.name), $0)]) } ?? Self.nameRequired
            case "multimediaProfile":
                guard let profile = siteProfile(value) else { return Self.noSystemDefault }
                return .fields([("multimediaProfileId", .string(site.multimediaProfileId), profile)])
            default: return notHeld(field)
            }
        case .teams:
            guard let team = tenant.teams[webexId] else { return .fields([]) }
            switch field {
            case "name": return value.map { .fields([("name", team.name.map(JSON.string), $0)]) } ?? Self.nameRequired
            case "site":
                return .notPushable(
                    reason: "a team's site cannot change in Webex Contact Center", where: "create a team in the other site (a new id in the files)")
            case "multimediaProfile":
                return .fields([("multiMediaProfileId", team.multiMediaProfileId.map(JSON.string), ref(.multimediaProfiles, value))])
            default: return notHeld(field)
            }
        case .wrapUpReasons:
            guard let code = tenant.auxiliaryCodes[webexId] else { return .fields([]) }
            switch field {
            case "description": return .fields([("description", code.description.map(JSON.string), value)])
            case "default": return .fields([("defaultCode", .bool(code.defaultCode), .bool(value == .bool(true)))])
            case "active": return .fields([("active", .bool(code.active), .bool(value != .bool(false)))])
            default: return notHeld(field)
            }
        case .queues:
            guard let queue = tenant.queues[webexId] else { return .fields([]) }
            switch field {
            case "description": return .fields([("description", queue.description.map(JSON.string), value)])
            case "channel":
                return .notPushable(
                    reason: "a queue's channel cannot change in Webex Contact Center", where: "create a queue of that channel (a new id in the files)"
                )
            case "routing": return .fields([("routingType", .string(queue.routingType.rawValue), Self.routing(value))])
            case "teams":
                let wanted = (value?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { reference(.teams, $0) } }
                guard Set(wanted) != Set(queue.teamIds.filter(tenant.importedTeams.contains)) else { return .fields([]) }
                return .fields([
                    ("callDistributionGroups", Self.groups(queue.callDistributionGroups), groups(queue.callDistributionGroups, with: wanted))
                ])
            case "serviceLevelSeconds": return .fields([("serviceLevelThreshold", .int(queue.serviceLevelThreshold), .int(value?.intValue ?? 0))])
            case "maxTimeInQueueSeconds": return .fields([("maxTimeInQueue", .int(queue.maxTimeInQueue), .int(value?.intValue ?? 0))])
            default: return notHeld(field)
            }
        case .entryPoints:
            guard let entryPoint = tenant.entryPoints[webexId] else { return .fields([]) }
            switch field {
            case "description": return .fields([("description", entryPoint.description.map(JSON.string), value)])
            case "channel":
                return .notPushable(
                    reason: "an entry point's channel cannot change in Webex Contact Center", where: "Control Hub: a new entry point of that channel")
            case "address":
                return .notPushable(
                    reason: "the API does not hold an entry point's address", where: "Control Hub (the channel's asset); extra.yaml for import webex")
            case "queue":
                return .notPushable(
                    reason: "the API does not hold the queue an entry point's replies go to",
                    where: "the entry point's flow in Control Hub; extra.yaml for import webex")
            default: return notHeld(field)
            }
        case .desktopProfiles:
            guard let profile = tenant.agentProfiles[webexId] else { return .fields([]) }
            switch field {
            case "description": return .fields([("description", profile.description.map(JSON.string), value)])
            case "outboundEntryPoints":
                return .fields(
                    selection(
                        value, access: "accessEntryPoint", list: "entryPoints", section: .entryPoints, current: profile.accessEntryPoint,
                        currentList: profile.entryPoints, managed: tenant.outboundEntryPoints))
            case "wrapUpReasons":
                return .fields(
                    selection(
                        value, access: "accessWrapUpCode", list: "wrapUpCodes", section: .wrapUpReasons, current: profile.accessWrapUpCode,
                        currentList: profile.wrapUpCodes, managed: tenant.wrapUpCodes))
            case "autoWrapUpSeconds":
                var fields: [Field] = [("autoWrapUp", profile.autoWrapUp.map(JSON.bool), .bool(value != nil))]
                if let value { fields.append(("autoWrapAfterSeconds", profile.autoWrapAfterSeconds.map(JSON.int), value)) }
                return .fields(fields)
            default: return notHeld(field)
            }
        case .agents:
            guard let user = tenant.users[webexId] else { return .fields([]) }
            switch field {
            case "name", "email":
                return .notPushable(reason: "a user's \(field) is Control Hub's (the API cannot change it)", where: "Control Hub: Users")
            case "licence":
                return .notPushable(
                    reason: "a user's licence type is its user profile type, which the API cannot change",
                    where: "Control Hub: Users, Contact Center licence")
            case "site": return .fields([("siteId", user.siteId.map(JSON.string), ref(.sites, value))])
            case "teams":
                let kept = (user.teamIds ?? []).filter { !tenant.importedTeams.contains($0) }
                let new = (value?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { reference(.teams, $0) } }
                return .fields([("teamIds", user.teamIds.map { .array($0.map(JSON.string)) }, .array((new + kept).map(JSON.string)))])
            case "desktopProfile": return .fields([("agentProfileId", user.agentProfileId.map(JSON.string), ref(.desktopProfiles, value))])
            case "multimediaProfile":
                return .fields([("multimediaProfileId", user.multimediaProfileId.map(JSON.string), ref(.multimediaProfiles, value))])
            case "active": return .fields([("active", user.active.map(JSON.bool), .bool(value != .bool(false)))])
            default: return notHeld(field)
            }
        case .licences:
            return .notPushable(reason: "the API does not hold licences' seats or validity", where: "your Cisco order (Control Hub: Licenses)")
        }
    }

    /// The whole body of a create of `entity` (the files' canonical object, id `id`), with
    /// what Cisco requires and the format does not hold filled with Webex's defaults; not
    /// pushable, with the reason, when the API cannot create one.
    func create(_ section: Section, id: String, _ entity: JSON) -> Translation {
        if let builtIn = Self.builtInProfile(entity["multimediaProfile"]) { return builtIn }
        func value(_ field: String) -> JSON? { entity[field] }
        let name = JSON.string(value("name")?.stringValue ?? id)
        switch section {
        case .multimediaProfiles:
            var fields: [Field] = [("name", nil, name), ("description", nil, value("description")), ("active", nil, .bool(true))]
            let blending = value("blending")?.stringValue.flatMap(Blending.init(rawValue:)) ?? .blended
            fields += [("blendingMode", nil, Self.blendingMode(blending)), ("blendingModeEnabled", nil, .bool(blending != .exclusive))]
            fields += [("telephony", nil, .int(value("voice")?.intValue ?? 0)), ("chat", nil, .int(value("chat")?.intValue ?? 0))]
            var manual: [(String, JSON)] = [("telephony", .int(0)), ("chat", .int(0))]
            for medium in ["email", "social"] {
                let (pushed, manually) = Self.slots(value(medium))
                fields.append((medium, nil, .int(pushed)))
                manual.append((medium, .int(manually ?? 0)))
            }
            fields.append(("manuallyAssignable", nil, .object(manual)))
            return .fields(fields)
        case .sites:
            guard let profile = siteProfile(value("multimediaProfile")) else { return Self.noSystemDefault }
            return .fields([("name", nil, name), ("multimediaProfileId", nil, profile), ("active", nil, .bool(true))])
        case .teams:
            return .fields([
                ("name", nil, name), ("siteId", nil, ref(.sites, value("site"))),
                ("multiMediaProfileId", nil, ref(.multimediaProfiles, value("multimediaProfile"))),
                ("teamType", nil, .string("AGENT")), ("teamStatus", nil, .string("IN_SERVICE")), ("rankQueuesForTeam", nil, .bool(false)),
                ("active", nil, .bool(true)),
            ])
        case .wrapUpReasons:
            let workType: String
            switch tenant.wrapUpWorkType {
            case .found(let id): workType = id
            case .unknown: workType = WebexPlaceholder.wrapUpWorkType
            case .none:
                return .notPushable(
                    reason: "the tenant has no work type of workTypeCode WRAP_UP_CODE (v2/work-type), which a wrap-up code needs",
                    where: "Control Hub: create the wrap-up work type, then push again")
            }
            return .fields([
                ("name", nil, name), ("description", nil, value("description")), ("defaultCode", nil, .bool(value("default") == .bool(true))),
                ("active", nil, .bool(value("active") != .bool(false))), ("workTypeCode", nil, .string("WRAP_UP_CODE")),
                ("workTypeId", nil, .string(workType)),
            ])
        case .queues:
            guard let channel = value("channel")?.stringValue.flatMap(Channel.init(rawValue:)) else { return notHeld("channel") }
            if value("wrapUpReasons") != nil { return notHeld("wrapUpReasons") }
            let (channelType, social) = Self.channelType(channel)
            return .fields([
                ("name", nil, name), ("description", nil, value("description")), ("channelType", nil, .string(channelType)),
                ("socialChannelType", nil, social.map(JSON.string)), ("queueType", nil, .string("INBOUND")),
                ("queueRoutingType", nil, .string("TEAM_BASED")), ("routingType", nil, Self.routing(value("routing"))),
                ("callDistributionGroups", nil, distributionGroups(value("teams"))),
                ("serviceLevelThreshold", nil, .int(value("serviceLevelSeconds")?.intValue ?? 0)),
                ("maxTimeInQueue", nil, .int(value("maxTimeInQueueSeconds")?.intValue ?? 0)), ("maxActiveContacts", nil, .int(0)),
                ("checkAgentAvailability", nil, .bool(false)), ("active", nil, .bool(true)),
            ])
        case .entryPoints:
            return .notPushable(
                reason: "creating an entry point needs its flow and asset, which the format does not hold",
                where: "Control Hub; then give the entry point its Webex id as externalId")
        case .desktopProfiles:
            var fields: [Field] = [("name", nil, name), ("description", nil, value("description")), ("parentType", nil, .string("ORGANIZATION"))]
            fields += selection(
                value("outboundEntryPoints"), access: "accessEntryPoint", list: "entryPoints", section: .entryPoints, current: nil, currentList: nil,
                managed: [])
            fields += selection(
                value("wrapUpReasons"), access: "accessWrapUpCode", list: "wrapUpCodes", section: .wrapUpReasons, current: nil, currentList: nil,
                managed: [])
            fields += [
                ("autoWrapUp", nil, .bool(value("autoWrapUpSeconds") != nil)), ("autoWrapAfterSeconds", nil, value("autoWrapUpSeconds")),
                ("accessQueue", nil, .string("ALL")), ("accessIdleCode", nil, .string("ALL")), ("accessBuddyTeam", nil, .string("ALL")),
                ("agentDNValidation", nil, .string("ALL")),
                ("viewableStatistics", nil, .object([("accessQueueStats", .string("NONE")), ("accessTeamStats", .string("NONE"))])),
                ("active", nil, .bool(true)),
            ]
            return .fields(fields)
        case .agents:
            return .notPushable(reason: "users are created in Control Hub; the API cannot create one", where: "Control Hub: Users")
        case .licences:
            return .notPushable(reason: "the API does not hold licences", where: "your Cisco order (Control Hub: Licenses)")
        }
    }

    // MARK: Per field

    private func multimediaProfile(_ field: String, _ value: JSON?, _ profile: WebexMultimediaProfile, entity: JSON) -> Translation {
        switch field {
        case "description": return .fields([("description", profile.description.map(JSON.string), value)])
        case "blending":
            let blending = value?.stringValue.flatMap(Blending.init(rawValue:)) ?? .blended
            return .fields([
                ("blendingMode", .string(profile.blendingMode), Self.blendingMode(blending)),
                // Not read by the import (a schema problem in it stays a warning): its old value is not shown.
                ("blendingModeEnabled", nil, .bool(blending != .exclusive)),
            ])
        case "voice": return .fields([("telephony", .int(profile.telephony), .int(value?.intValue ?? 0))])
        case "chat": return .fields([("chat", .int(profile.chat), .int(value?.intValue ?? 0))])
        case "email", "social":
            let pushed = field == "email" ? profile.email : profile.social
            let manual = field == "email" ? profile.manuallyAssignable?.email : profile.manuallyAssignable?.social
            let (newPushed, newManual) = Self.slots(value)
            var fields: [Field] = [(field, .int(pushed), .int(newPushed))]
            // Pushed slots are read first: `n` auto-pushed leaves the manual count as it is.
            if newPushed == 0, (manual ?? 0) != (newManual ?? 0) {
                if profile.manuallyAssignable != nil {
                    fields.append(("manuallyAssignable.\(field)", .int(manual ?? 0), .int(newManual ?? 0)))
                } else {
                    // Cisco's schema needs all four counts in the object; both manual media of
                    // the files go in it, so email and social made manual at once are one value.
                    let counts: [(String, JSON)] = [
                        ("telephony", .int(0)), ("chat", .int(0)), ("email", .int(Self.slots(entity["email"]).manual ?? 0)),
                        ("social", .int(Self.slots(entity["social"]).manual ?? 0)),
                    ]
                    fields.append(("manuallyAssignable", nil, .object(counts)))
                }
            }
            return .fields(fields)
        default: return notHeld(field)
        }
    }

    /// `{assignment: manual, slots: n}` as (0 pushed, n manual); `n` as (n pushed, manual
    /// unchanged: nil); absent as (0, 0).
    static func slots(_ value: JSON?) -> (pushed: Int, manual: Int?) {
        switch value {
        case .int(let count)?: (count, nil)
        case .object?: (0, value?["slots"]?.intValue ?? 0)
        default: (0, 0)
        }
    }

    private static func blendingMode(_ blending: Blending) -> JSON {
        switch blending {
        case .blended: .string("BLENDED")
        case .blendedRealtime: .string("BLENDED_REALTIME")
        case .exclusive: .string("EXCLUSIVE")
        }
    }

    private static func routing(_ value: JSON?) -> JSON {
        .string(value?.stringValue == Routing.skillsBased.rawValue ? "SKILLS_BASED" : "LONGEST_AVAILABLE_AGENT")
    }

    /// The Webex channel type (and social network) of a channel of the format.
    static func channelType(_ channel: Channel) -> (String, String?) {
        switch channel {
        case .voice: ("TELEPHONY", nil)
        case .chat: ("CHAT", nil)
        case .email: ("EMAIL", nil)
        case .sms: ("SOCIAL_CHANNEL", "MESSAGEBIRD")
        case .whatsapp: ("SOCIAL_CHANNEL", "WHATSAPP")
        case .facebook: ("SOCIAL_CHANNEL", "MESSENGER")
        case .appleMessages: ("SOCIAL_CHANNEL", "APPLE_BUSINESS_CHAT")
        }
    }

    /// A queue's teams as one distribution group (SPEC §10).
    private func distributionGroups(_ value: JSON?) -> JSON {
        Self.groups([
            .init(
                agentGroups: (value?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { reference(.teams, $0) } }.map { .init(teamId: $0) },
                order: 1, duration: 0)
        ])
    }

    /// A queue's groups with the files' teams: each group keeps its order, its time and the
    /// teams the import leaves out (inactive ones); a team the files drop leaves its group (an
    /// emptied group goes), and a team they add joins the first group.
    private func groups(_ current: [WebexQueue.DistributionGroup], with wanted: [String]) -> JSON {
        let wantedSet = Set(wanted)
        var groups = current.map { group in
            var group = group
            group.agentGroups = group.agentGroups?.filter { $0.teamId.map { !tenant.importedTeams.contains($0) || wantedSet.contains($0) } ?? true }
            return group
        }
        let present = Set(groups.flatMap { $0.agentGroups ?? [] }.compactMap(\.teamId))
        let added = wanted.filter { !present.contains($0) }.map { WebexQueue.DistributionGroup.AgentGroup(teamId: $0) }
        if !added.isEmpty {
            if groups.isEmpty { groups.append(.init(agentGroups: [], order: 1, duration: 0)) }
            groups[0].agentGroups = (groups[0].agentGroups ?? []) + added
        }
        return Self.groups(groups.filter { !($0.agentGroups ?? []).isEmpty })
    }

    private static func groups(_ groups: [WebexQueue.DistributionGroup]) -> JSON {
        .array(
            groups.map { group in
                .object(
                    [("agentGroups", JSON.array((group.agentGroups ?? []).map { .object([("teamId", $0.teamId.map(JSON.string) ?? .null)]) }))]
                        + [("order", group.order.map(JSON.int)), ("duration", group.duration.map(JSON.int))].compactMap { key, value in
                            value.map { (key, $0) }
                        })
            })
    }

    /// A site's profile: the files' one, or the tenant's system default (Cisco requires one);
    /// nil when the tenant has none.
    private func siteProfile(_ value: JSON?) -> JSON? {
        if let id = value?.stringValue, let webexId = reference(.multimediaProfiles, id) { return .string(webexId) }
        return tenant.systemDefaultProfile.map(JSON.string)
    }

    /// The format's built-in Default Telephony profile has no Webex entity to name.
    private static func builtInProfile(_ value: JSON?) -> Translation? {
        guard value?.stringValue == MultimediaProfile.defaultTelephonyId else { return nil }
        return .notPushable(
            reason: "the built-in \(MultimediaProfile.defaultTelephonyId) profile is this tool's; Webex has no entity for it",
            where: "name one of the tenant's multimedia profiles instead")
    }

    private static let nameRequired = Translation.notPushable(
        reason: "Cisco requires a name; leaving it out of the files cannot remove it", where: "give the entry a name in the files")

    private static let noSystemDefault = Translation.notPushable(
        reason: "Cisco requires a site's multimedia profile, and the tenant has none marked systemDefault",
        where: "give the site a multimediaProfile in the files")

    private func ref(_ section: Section, _ value: JSON?) -> JSON? {
        value?.stringValue.flatMap { reference(section, $0) }.map(JSON.string)
    }

    /// A desktop profile's list: all is `ALL`; a list is `SPECIFIC` with the listed items'
    /// ids, plus the items of the current list this tool does not manage (inbound entry
    /// points, items not imported), which the import left out and must survive.
    private func selection(
        _ value: JSON?, access: String, list: String, section: Section, current: WebexAccess?, currentList: [String]?, managed: Set<String>
    ) -> [Field] {
        let oldAccess = current.map { JSON.string($0.rawValue) }
        let oldList = currentList.map { JSON.array($0.map(JSON.string)) }
        guard let items = value?.arrayValue else { return [(access, oldAccess, .string("ALL"))] }
        let kept = current == .specific ? (currentList ?? []).filter { !managed.contains($0) } : []
        let ids = items.compactMap { $0.stringValue.flatMap { reference(section, $0) } } + kept
        if ids.isEmpty { return [(access, oldAccess, .string("NONE"))] }
        return [(access, oldAccess, .string("SPECIFIC")), (list, oldList, .array(ids.map(JSON.string)))]
    }

    private func notHeld(_ field: String) -> Translation {
        .notPushable(reason: "the API has no field for \(field)", where: "nowhere in Webex Contact Center: it is this tool's alone")
    }
}

/// What the tenant says about something the plan needs: not read (a saved pull without the
/// list), read and absent, or found.
public enum WebexLookup: Sendable, Equatable {
    case unknown, none
    case found(String)
}

/// Values a plan cannot know until push sends it: the ids of entities this push creates, and
/// what push looks up in the tenant when it needs it.
enum WebexPlaceholder {
    static let prefix = "<new "

    static func created(_ resource: WebexResource, _ id: String) -> String { "<new \(resource.rawValue) \(id)>" }

    /// The tenant's work type of wrap-up codes (`v2/work-type`, `workTypeCode: WRAP_UP_CODE`),
    /// when the plan was made from a saved pull without `work-type.json`.
    static let wrapUpWorkType = "<the tenant's WRAP_UP_CODE work type>"

    /// The Webex fields that name other entities: the only ones placeholders stand in, so a
    /// description that happens to start with `<new ` is text, never a reference.
    static let referenceFields: Set<String> = [
        "siteId", "multiMediaProfileId", "multimediaProfileId", "teamIds", "agentProfileId", "entryPoints", "wrapUpCodes",
        "callDistributionGroups", "workTypeId",
    ]

    /// The entities of this push a field's new value names (`<new team x>`), however deep.
    static func named(in field: WebexPlan.FieldChange) -> [String] {
        guard referenceFields.contains(field.webexField), let value = field.new else { return [] }
        return named(in: value)
    }

    static func named(in value: JSON) -> [String] {
        switch value {
        case .string(let text) where text.hasPrefix(prefix): [text]
        case .array(let items): items.flatMap(named)
        case .object(let members): members.flatMap { named(in: $0.1) }
        default: []
        }
    }

    /// `<new team x>` as "team x (new)".
    static func described(_ placeholder: String) -> String {
        "\(placeholder.dropFirst(prefix.count).dropLast()) (new)"
    }
}
