import Foundation

/// One file's sections, decoded on its own (on a worker thread, while other files parse):
/// a partial configuration, where its tenant was defined, and its diagnostics.
public struct DecodedFile: Sendable {
    public var path: String
    public var configuration: Configuration
    public var tenantLocation: SourceLocation?
    public var diagnostics: [Diagnostic]
}

/// Turns one parsed file into its part of the configuration, reporting every shape problem
/// (unknown keys, wrong types, ranges, bad ids) and carrying on, so one run shows them all.
/// Entries that cannot be decoded are left out of the model but their ids stay defined, so
/// they cause no second wave of "unknown reference" errors. `ConfigurationMerger` joins the
/// files and reports ids defined in more than one.
public final class ConfigurationDecoder {
    typealias Node = YAMLDocument.NodeID

    static let topLevelKeys = ["version", "tenant"] + Section.allCases.map(\.rawValue)
    // The known keys of each definition, for "unknown key" hints.
    package static let tenantKeys = ["name", "digitalChannels", "timezone"]
    static let licenceKeys = ["type", "seats", "validFrom", "validUntil", "description", "externalId"]
    static let profileKeys = ["description", "blending", "voice", "chat", "email", "social", "externalId"]
    static let siteKeys = ["name", "multimediaProfile", "externalId"]
    static let teamKeys = ["name", "site", "multimediaProfile", "externalId"]
    static let desktopKeys = ["description", "outboundEntryPoints", "wrapUpReasons", "autoWrapUpSeconds", "externalId"]
    static let entryPointKeys = ["description", "channel", "address", "outbound", "queue", "externalId"]
    static let queueKeys = [
        "description", "channel", "routing", "teams", "serviceLevelSeconds", "maxTimeInQueueSeconds", "wrapUpReasons", "externalId",
    ]
    static let wrapUpKeys = ["description", "default", "active", "externalId"]
    static let agentKeys = ["name", "email", "licence", "site", "teams", "desktopProfile", "multimediaProfile", "active", "externalId"]
    static let slotKeys = ["assignment", "slots"]

    private let context: DecodingContext
    private var document: YAMLDocument { context.document }
    private var configuration = Configuration()
    private var tenantLocation: SourceLocation?

    private init(context: DecodingContext) {
        self.context = context
    }

    /// Decodes and merges several files (in-memory documents, snapshots, tests).
    public static func decode(_ files: [YAMLFile]) -> (Configuration, [Diagnostic]) {
        var merger = ConfigurationMerger()
        for file in files { merger.add(decode(file)) }
        return merger.finish()
    }

    /// Decodes one file's sections.
    public static func decode(_ file: YAMLFile) -> DecodedFile {
        decode(file, part: .wholeFile)
    }

    /// Decodes one share of a file (see `DecodingPart.parts(of:)`); the parts of a file,
    /// merged in order, hold what decoding the whole file holds.
    static func decode(_ file: YAMLFile, part: DecodingPart) -> DecodedFile {
        guard let document = file.document else {
            return DecodedFile(path: file.path, configuration: Configuration(), tenantLocation: nil, diagnostics: [])
        }
        let decoder = ConfigurationDecoder(context: DecodingContext(document: document, file: file.path))
        decoder.add(document.root, part: part)
        return DecodedFile(
            path: file.path, configuration: decoder.configuration, tenantLocation: decoder.tenantLocation,
            diagnostics: decoder.context.diagnostics)
    }

    private func add(_ root: Node, part: DecodingPart) {
        guard document.isMapping(root) else {
            if part == .wholeFile || part == .topLevel {
                context.report(
                    .notAMapping, "the top level of a configuration file must be a mapping of sections, found \(document.typeName(root))", at: root,
                    path: "")
            }
            return
        }
        if case .entries(let pairIndex, let entries) = part {
            guard let section = Section(rawValue: document.string(document.key(root, pairIndex))) else { return }
            return decodeSection(section, document.value(root, pairIndex), entries: entries, context: context)
        }
        for index in 0..<document.count(root) {
            let keyNode = document.key(root, index)
            let value = document.value(root, index)
            let key = document.string(keyNode)
            if key == "version" {
                decodeVersion(value, context: context)
            } else if key == "tenant" {
                let here = context.location(keyNode)
                tenantLocation = here
                configuration.tenant = decodeTenant(value, at: here, context: context)
            } else if let section = Section(rawValue: key) {
                guard part == .wholeFile || !DecodingPart.isShared(value, in: document) else { continue }
                decodeSection(section, value, entries: nil, context: context)
            } else {
                context.report(.unknownKey, "unknown section '\(key)'\(Suggestion.hint(for: key, in: Self.topLevelKeys))", at: keyNode, path: key)
            }
        }
    }

    private func decodeVersion(_ node: Node, context: DecodingContext) {
        guard let version = context.int(node, in: Int.min...Int.max, path: "version") else { return }
        if version.value != 1 {
            context.report(.unsupportedVersion, "version \(version.value) is not supported; the only version is 1", at: node, path: "version")
        }
    }

    private func decodeSection(_ section: Section, _ node: Node, entries: Range<Int>?, context: DecodingContext) {
        if document.isNull(node) { return }
        guard document.isMapping(node) else {
            context.report(
                .notAMapping, "section '\(section.rawValue)' must map ids to definitions, found \(document.typeName(node))", at: node,
                path: section.rawValue)
            return
        }
        for index in entries ?? 0..<document.count(node) {
            let keyNode = document.key(node, index)
            let id = document.string(keyNode)
            let path = DottedPath(parent: section.rawValue, last: id)
            let location = context.location(keyNode)
            guard Identifier.isValid(id) else {
                context.report(
                    .invalidId, "\(section.noun) id '\(id)' must match ^[a-z0-9][a-z0-9._-]{0,63}$ (lowercase letters, digits, '.', '_', '-')",
                    at: keyNode, path: path.description)
                continue
            }
            if section == .multimediaProfiles, id == MultimediaProfile.defaultTelephonyId {
                context.report(
                    .reservedId,
                    "'\(id)' is the built-in multimedia profile (blended, voice 1, no digital slots) and cannot be redefined; choose another id",
                    at: keyNode, path: path.description)
                continue
            }
            decodeEntry(section, id: id, node: document.value(node, index), location: location, path: path, context: context)
        }
    }

    /// Decodes one entry. An entry whose required fields are missing or invalid is left out of
    /// the model (its id stays defined); invalid optional fields are reported and left unset, so
    /// the rules still check the rest of the entry.
    private func decodeEntry(
        _ section: Section, id: String, node: Node, location: SourceLocation, path: DottedPath,
        context: DecodingContext
    ) {
        switch section {
        case .licences: keep(decodeLicence(id, node, location, path, context), section, id, node, location)
        case .multimediaProfiles: keep(decodeProfile(id, node, location, path, context), section, id, node, location)
        case .sites: keep(decodeSite(id, node, location, path, context), section, id, node, location)
        case .teams: keep(decodeTeam(id, node, location, path, context), section, id, node, location)
        case .desktopProfiles: keep(decodeDesktopProfile(id, node, location, path, context), section, id, node, location)
        case .entryPoints: keep(decodeEntryPoint(id, node, location, path, context), section, id, node, location)
        case .queues: keep(decodeQueue(id, node, location, path, context), section, id, node, location)
        case .wrapUpReasons: keep(decodeWrapUpReason(id, node, location, path, context), section, id, node, location)
        case .agents: keep(decodeAgent(id, node, location, path, context), section, id, node, location)
        }
    }

    /// Adds a decoded entity to its section, or records the id as broken with the references
    /// its well-formed fields make.
    private func keep<Entity: SectionEntity>(_ entity: Entity?, _ section: Section, _ id: String, _ node: Node, _ location: SourceLocation) {
        if let entity {
            configuration[keyPath: Entity.entries][id] = entity
            return
        }
        configuration.brokenIds[section, default: [:]][id] = location
        guard document.isMapping(node) else { return }
        for field in Entity.referenceFields {
            guard let value = document.value(node, forKey: field.field) else { continue }
            // Only ids written as ids: a field of the wrong shape has had its own diagnostic.
            let items = field.isList ? (document.isSequence(value) ? (0..<document.count(value)).map { document.item(value, $0) } : []) : [value]
            for (index, item) in items.enumerated() where document.isScalar(item) && !document.isNull(item) {
                configuration.brokenReferences.append(
                    Reference(
                        target: field.target, id: Located(document.string(item), at: context.location(item)), section: section, entity: id,
                        field: field.field, index: field.isList ? index : nil))
            }
        }
    }

    // MARK: Sections

    private func decodeTenant(_ node: Node, at location: SourceLocation, context: DecodingContext) -> Tenant? {
        guard let f = context.fields(of: node, path: DottedPath(parent: "", last: "tenant"), known: Self.tenantKeys, owner: location) else {
            return nil
        }
        let name = f.string("name")
        let digital = f.enumeration("digitalChannels", DigitalChannels.self, required: true)
        let timezone = f.timeZone("timezone")
        f.reportMissingFields()
        guard let digital else { return nil }
        return Tenant(name: name, digitalChannels: digital, timezone: timezone, location: location)
    }

    private func decodeLicence(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext) -> Licence? {
        guard let f = context.fields(of: node, path: path, known: Self.licenceKeys, owner: location) else { return nil }
        let type = f.enumeration("type", LicenceType.self, required: true)
        let seats = f.int("seats", in: 0...Int.max, required: true)
        let validFrom = f.date("validFrom")
        let validUntil = f.date("validUntil")
        let description = f.string("description")
        let externalId = f.string("externalId")
        f.reportMissingFields()
        if let validFrom, let validUntil, validFrom.value > validUntil.value {
            context.diagnostics.append(
                Diagnostic(
                    .licenceDatesReversed, "\(path).validFrom \(validFrom.value) is after validUntil \(validUntil.value)",
                    at: validFrom.location, path: "\(path).validFrom", notes: [.init("validUntil is here", at: validUntil.location)]))
        }
        guard let type, let seats else { return nil }
        return Licence(
            id: id, location: location, description: description, type: type, seats: seats, validFrom: validFrom, validUntil: validUntil,
            externalId: externalId)
    }

    private func decodeProfile(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext)
        -> MultimediaProfile?
    {
        guard let f = context.fields(of: node, path: path, known: Self.profileKeys, owner: location) else { return nil }
        let description = f.string("description")
        let blending = f.enumeration("blending", Blending.self, required: true)
        let voice = f.int("voice", in: 0...1)
        let chat = f.int("chat", in: 0...5)
        let email = decodeSlots(f, media: .email)
        let social = decodeSlots(f, media: .social)
        let externalId = f.string("externalId")
        f.reportMissingFields()
        for (media, slots) in [(Media.email, email), (.social, social)] {
            guard let slots else { continue }
            let range = SlotRules.range(for: media, assignment: slots.assignment, mappingForm: slots.isMappingForm)
            if !range.contains(slots.slots) {
                let form = slots.isMappingForm ? "\(slots.assignment.rawValue) assignment" : "the integer form (0 = none)"
                context.diagnostics.append(
                    Diagnostic(
                        .slotsOutOfRange,
                        "\(path).\(media.rawValue) slots must be from \(range.lowerBound) to \(range.upperBound) for \(form), found \(slots.slots)",
                        at: slots.location, path: slots.isMappingForm ? "\(path).\(media.rawValue).slots" : "\(path).\(media.rawValue)"))
            }
        }
        if let blending, blending.value == .blendedRealtime, (voice?.value ?? 0) != 1 || (chat?.value ?? 0) < 1 {
            context.diagnostics.append(
                Diagnostic(
                    .blendedRealtimeNeedsVoiceAndChat,
                    "\(path) is blended-realtime, which needs voice: 1 and chat of at least 1 (found voice \(voice?.value ?? 0), chat \(chat?.value ?? 0))",
                    at: blending.location, path: "\(path).blending"))
        }
        guard let blending else { return nil }
        return MultimediaProfile(
            id: id, location: location, description: description, blending: blending,
            voice: voice, chat: chat, email: email, social: social, externalId: externalId)
    }

    /// `social: 2` (that many auto-pushed slots, 0 = none) or `email: {assignment, slots}`.
    /// Slot ranges per assignment are rules (OB303), checked by the validator.
    private func decodeSlots(_ f: FieldReader, media: Media) -> SlotAssignment? {
        let key = media.rawValue
        guard let node = f.value(key, required: false) else { return nil }
        let path = "\(f.path).\(key)"
        let context = f.context
        switch document.kind(node) {
        case .plainScalar, .quotedScalar:
            guard let slots = context.int(node, in: Int.min...Int.max, path: path) else { return nil }
            return SlotAssignment(assignment: .autoPushed, slots: slots.value, location: slots.location, assignmentLocation: slots.location)
        case .mapping:
            guard let slotFields = context.fields(of: node, path: DottedPath(parent: f.path.description, last: key), known: Self.slotKeys) else {
                return nil
            }
            let assignment = slotFields.enumeration("assignment", Assignment.self)
            let slots = slotFields.int("slots", in: Int.min...Int.max)
            return SlotAssignment(
                assignment: assignment?.value ?? .autoPushed, slots: slots?.value ?? 1,
                location: slots?.location ?? context.location(node),
                assignmentLocation: assignment?.location ?? context.location(node), isMappingForm: true)
        case .sequence:
            context.report(.wrongType, "\(path) must be a slot count or a mapping with assignment and slots, found a list", at: node, path: path)
            return nil
        }
    }

    private func decodeSite(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext) -> Site? {
        if document.isNull(node) { return Site(id: id, location: location, name: nil, multimediaProfile: nil) }
        guard let f = context.fields(of: node, path: path, known: Self.siteKeys, owner: location) else { return nil }
        return Site(
            id: id, location: location, name: f.string("name"), multimediaProfile: f.string("multimediaProfile"), externalId: f.string("externalId"))
    }

    private func decodeTeam(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext) -> Team? {
        guard let f = context.fields(of: node, path: path, known: Self.teamKeys, owner: location) else { return nil }
        let name = f.string("name")
        let site = f.string("site", required: true)
        let profile = f.string("multimediaProfile")
        let externalId = f.string("externalId")
        f.reportMissingFields()
        guard let site else { return nil }
        return Team(id: id, location: location, name: name, site: site, multimediaProfile: profile, externalId: externalId)
    }

    private func decodeDesktopProfile(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext)
        -> DesktopProfile?
    {
        if document.isNull(node) {
            let all = Located(Selection.all, at: location)
            return DesktopProfile(id: id, location: location, description: nil, outboundEntryPoints: all, wrapUpReasons: all, autoWrapUpSeconds: nil)
        }
        guard let f = context.fields(of: node, path: path, known: Self.desktopKeys, owner: location) else { return nil }
        let description = f.string("description")
        let entryPoints = f.selection("outboundEntryPoints")
        let reasons = f.selection("wrapUpReasons")
        let autoWrapUp = f.int("autoWrapUpSeconds", in: 1...3600)
        let externalId = f.string("externalId")
        f.reportMissingFields()
        guard let entryPoints, let reasons else { return nil }
        return DesktopProfile(
            id: id, location: location, description: description, outboundEntryPoints: entryPoints,
            wrapUpReasons: reasons, autoWrapUpSeconds: autoWrapUp, externalId: externalId)
    }

    private func decodeEntryPoint(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext)
        -> EntryPoint?
    {
        guard let f = context.fields(of: node, path: path, known: Self.entryPointKeys, owner: location) else { return nil }
        let description = f.string("description")
        let channel = f.enumeration("channel", Channel.self, required: true)
        let address = f.string("address")
        let outbound = f.bool("outbound", default: false)
        let queue = f.string("queue")
        let externalId = f.string("externalId")
        f.reportMissingFields()
        if let channel { checkEntryPoint(channel: channel.value, address: address, outbound: outbound, entry: location, path: path) }
        guard let channel, let outbound else { return nil }
        return EntryPoint(
            id: id, location: location, description: description, channel: channel, address: address, outbound: outbound, queue: queue,
            externalId: externalId)
    }

    private func decodeQueue(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext) -> Queue? {
        guard let f = context.fields(of: node, path: path, known: Self.queueKeys, owner: location) else { return nil }
        let description = f.string("description")
        let channel = f.enumeration("channel", Channel.self, required: true)
        let routing =
            f.value("routing", required: false) == nil
            ? Located(Routing.longestAvailable, at: location) : f.enumeration("routing", Routing.self)
        let teams = f.idList("teams", required: true, nonEmpty: true)
        let serviceLevel = f.int("serviceLevelSeconds", in: 1...Int.max)
        let maxTime = f.int("maxTimeInQueueSeconds", in: 1...Int.max)
        let reasons = f.idList("wrapUpReasons")
        let externalId = f.string("externalId")
        f.reportMissingFields()
        guard let channel, let routing, let teams else { return nil }
        return Queue(
            id: id, location: location, description: description, channel: channel, routing: routing, teams: teams,
            serviceLevelSeconds: serviceLevel, maxTimeInQueueSeconds: maxTime, wrapUpReasons: reasons, externalId: externalId)
    }

    private func decodeWrapUpReason(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext)
        -> WrapUpReason?
    {
        guard let f = context.fields(of: node, path: path, known: Self.wrapUpKeys, owner: location) else { return nil }
        let description = f.string("description")
        let isDefault = f.bool("default", default: false)
        let active = f.bool("active", default: true)
        let externalId = f.string("externalId")
        f.reportMissingFields()
        guard let isDefault, let active else { return nil }
        return WrapUpReason(id: id, location: location, description: description, isDefault: isDefault, active: active, externalId: externalId)
    }

    private func decodeAgent(_ id: String, _ node: Node, _ location: SourceLocation, _ path: DottedPath, _ context: DecodingContext) -> Agent? {
        guard let f = context.fields(of: node, path: path, known: Self.agentKeys, owner: location) else { return nil }
        let name = f.string("name", required: true)
        let email = f.string("email")
        let licence = f.string("licence", required: true)
        let site = f.string("site", required: true)
        let teams = f.idList("teams", required: true, nonEmpty: true)
        let desktop = f.string("desktopProfile", required: true)
        let profile = f.string("multimediaProfile")
        let active = f.bool("active", default: true)
        let externalId = f.string("externalId")
        f.reportMissingFields()
        if let email, !AddressFormat.isEmail(email.value) {
            context.diagnostics.append(
                Diagnostic(.invalidValue, "\(path).email '\(email.value)' is not an email address", at: email.location, path: "\(path).email"))
        }
        guard let name, let licence, let site, let teams, let desktop, let active else { return nil }
        return Agent(
            id: id, location: location, name: name, email: email, licence: licence, site: site, teams: teams,
            desktopProfile: desktop, multimediaProfile: profile, active: active, externalId: externalId)
    }

    /// The rules of one entry point that need only its own fields: outbound only where the
    /// channel allows it, and an address of the channel's kind. Checked here, where a broken
    /// neighbour field cannot hide them.
    private func checkEntryPoint(channel: Channel, address: Located<String>?, outbound: Located<Bool>?, entry: SourceLocation, path: DottedPath) {
        if let outbound, outbound.value, !channel.supportsOutbound {
            context.diagnostics.append(
                Diagnostic(
                    .outboundNotSupported, "\(path) has channel \(channel.rawValue); outbound: true is only possible on email and sms",
                    at: outbound.location, path: "\(path).outbound"))
        }
        if let address {
            if let mismatch = AddressFormat.mismatch(address.value, channel: channel, path: path.description) {
                context.diagnostics.append(Diagnostic(.addressMismatch, mismatch, at: address.location, path: "\(path).address"))
            }
        } else if channel == .email || channel == .sms || channel == .whatsapp {
            context.diagnostics.append(
                Diagnostic(
                    .missingField,
                    "\(path) is missing required field 'address' (the \(channel == .email ? "email address" : "E.164 number") customers see)",
                    at: entry, path: "\(path).address"))
        }
    }
}
