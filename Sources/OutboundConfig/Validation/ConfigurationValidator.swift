/// The rules of the file format that need the whole configuration: references between
/// sections, slot ranges, addresses, seats, wrap-up defaults. Each rule appends diagnostics and
/// never stops the others.
public struct ConfigurationValidator {
    /// Whether the configuration holds every file. When a file could not be parsed, the rules
    /// that report something missing (an unknown reference, no default wrap-up reason) are
    /// skipped: the missing thing may well be in that file.
    public var complete: Bool

    public init(complete: Bool = true) {
        self.complete = complete
    }

    public func validate(_ configuration: Configuration) -> [Diagnostic] {
        var run = ValidationRun(configuration: configuration, complete: complete)
        run.checkReferences()
        run.checkLicences()
        run.checkEntryPoints()
        run.checkWrapUpReasons()
        return run.diagnostics
    }
}

private struct ValidationRun {
    let configuration: Configuration
    let complete: Bool
    let agents: [Agent]
    var diagnostics: [Diagnostic] = []

    init(configuration: Configuration, complete: Bool) {
        self.configuration = configuration
        self.complete = complete
        agents = configuration.agentsInMemoryOrder()
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, at location: SourceLocation, path: String, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(code, message, at: location, path: path, notes: notes))
    }

    /// Reports `reference` when it names no entry of `section`, with a "did you mean".
    mutating func checkReference(_ reference: Located<String>?, to section: Section, path: @autoclosure () -> String) {
        guard complete, let reference, !configuration.defines(reference.value, in: section) else { return }
        var candidates = configuration.ids(in: section)
        if section == .multimediaProfiles { candidates.append(MultimediaProfile.defaultTelephonyId) }
        report(
            .unknownReference, "unknown \(section.noun) '\(reference.value)'\(Suggestion.hint(for: reference.value, in: candidates))",
            at: reference.location, path: path())
    }

    /// Every reference of the model's graph (`SectionEntity.referenceFields`), of decoded
    /// entries and of entries that could not be decoded alike: an entry's broken field does not
    /// hide its unknown references.
    mutating func checkReferences() {
        for section in Section.allCases where section != .agents { section.visit(ReferenceCheck(section: section))(&self) }
        checkReferences(of: agents, in: .agents)
        for reference in configuration.brokenReferences {
            checkReference(reference.id, to: reference.target, path: reference.path)
        }
    }

    private mutating func checkReferences<Entity: SectionEntity>(of entities: some Sequence<Entity>, in section: Section) {
        guard !Entity.referenceFields.isEmpty else { return }
        for entity in entities {
            entity.forEachReference(in: section) { checkReference($0.id, to: $0.target, path: $0.path) }
        }
    }

    /// Checks one section's references, typed for its entities.
    private struct ReferenceCheck: SectionVisitor {
        let section: Section
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> (inout ValidationRun) -> Void {
            { [section] run in run.checkReferences(of: run.configuration[keyPath: Entity.entries].values, in: section) }
        }
    }

    mutating func checkLicences() {
        var holders: [String: Int] = [:]
        for agent in agents where agent.active.value {
            holders[agent.licence.value, default: 0] += 1
        }
        for licence in configuration.licences.values {
            let path = "licences.\(licence.id)"
            let held = holders[licence.id] ?? 0
            if held > licence.seats.value {
                report(
                    .licenceSeatsExceeded, "licence '\(licence.id)' has \(plural(licence.seats.value, "seat")) but \(held) active agents hold it",
                    at: licence.seats.location, path: "\(path).seats")
            }
        }
    }

    mutating func checkEntryPoints() {
        for entryPoint in configuration.entryPoints.values {
            let path = "entryPoints.\(entryPoint.id)"
            let channel = entryPoint.channel.value
            if let queueId = entryPoint.queue, let queue = configuration.queues[queueId.value], queue.channel.value != channel {
                report(
                    .queueChannelMismatch,
                    "\(path) has channel \(channel.rawValue) but its queue '\(queue.id)' serves \(queue.channel.value.rawValue)",
                    at: queueId.location, path: "\(path).queue", notes: [.init("the queue's channel is set here", at: queue.channel.location)])
            }
        }
    }

    mutating func checkWrapUpReasons() {
        let active = configuration.wrapUpReasons.values.filter(\.active.value).sorted { $0.location < $1.location }
        guard let first = active.first else { return }
        let defaults = active.filter(\.isDefault.value)
        if defaults.isEmpty, complete {
            report(
                .wrapUpDefaultCount, "no active wrap-up reason is the default; set default: true on exactly one",
                at: first.location, path: "wrapUpReasons.\(first.id)")
        }
        for extra in defaults.dropFirst() {
            report(
                .wrapUpDefaultCount, "wrap-up reason '\(extra.id)' is a second default; '\(defaults[0].id)' is already the default",
                at: extra.isDefault.location, path: "wrapUpReasons.\(extra.id).default",
                notes: [.init("the first default is here", at: defaults[0].isDefault.location)])
        }
    }
}

/// Slot ranges per media and assignment (docs/reference.md §2): the integer form counts auto-pushed slots
/// with 0 meaning none; the mapping form needs at least one slot.
public enum SlotRules {
    public static func range(for media: Media, assignment: Assignment, mappingForm: Bool) -> ClosedRange<Int> {
        guard mappingForm else { return 0...5 }
        switch assignment {
        case .autoPushed: return 1...5
        case .manual: return media == .email ? 1...10 : 1...5
        }
    }
}

/// Address grammars for entry points, kept simple and strict.
public enum AddressFormat {
    /// Why `address` does not fit an entry point of `channel` at `path` (OB306); nil when it fits.
    package static func mismatch(_ address: String, channel: Channel, path: String) -> String? {
        if channel.usesPhoneAddress, !isE164(address) {
            return "\(path).address '\(address)' must be an E.164 number for \(channel.rawValue) ('+' and 8 to 15 digits)"
        }
        if channel == .email, !isEmail(address) {
            return "\(path).address '\(address)' must be an email address for an email entry point"
        }
        return nil
    }

    /// `+` then 8 to 15 digits.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "+"), (9...16).contains(bytes.count) else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `local@domain.tld`: one `@`, no spaces or control characters, a dot in the domain with
    /// something on both sides, no empty domain labels.
    public static func isEmail(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var at = -1
            var lastDot = -1
            var previous: UInt8 = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte <= 0x20 || byte == 0x7F { return false }
                if byte == UInt8(ascii: "@") {
                    guard at < 0, index > 0 else { return false }
                    at = index
                } else if byte == UInt8(ascii: "."), at >= 0 {
                    if previous == UInt8(ascii: ".") || previous == UInt8(ascii: "@") { return false }
                    lastDot = index
                }
                previous = byte
            }
            return at > 0 && lastDot > at + 1 && lastDot < bytes.count - 1
        }
    }
}

public func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
