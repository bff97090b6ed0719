// The sections of the file format, one type each. Every field keeps its location so that
// diagnostics and gate checks can name the exact node. Optional fields are nil when absent.

/// The contact-center enterprise: one per configuration.
public struct Tenant: Sendable {
    public var name: Located<String>?
    public var digitalChannels: Located<DigitalChannels>
    public var timezone: Located<String>?
    public var location: SourceLocation
}

public struct Licence: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var type: Located<LicenceType>
    public var seats: Located<Int>
    public var validFrom: Located<CalendarDate>?
    public var validUntil: Located<CalendarDate>?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

/// A multimedia profile: how many conversations of each media an agent handles at once.
public struct MultimediaProfile: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var blending: Located<Blending>
    public var voice: Located<Int>?
    public var chat: Located<Int>?
    public var email: SlotAssignment?
    public var social: SlotAssignment?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil

    public func slots(for media: Media) -> SlotAssignment? {
        switch media {
        case .email: email
        case .social: social
        case .voice: voice.map { SlotAssignment(assignment: .autoPushed, slots: $0.value, location: $0.location, assignmentLocation: $0.location) }
        case .chat: chat.map { SlotAssignment(assignment: .autoPushed, slots: $0.value, location: $0.location, assignmentLocation: $0.location) }
        }
    }
}

/// The email or social slots of a profile: `social: 2` or `email: {assignment: manual, slots: 3}`.
public struct SlotAssignment: Sendable, Equatable {
    public var assignment: Assignment
    public var slots: Int
    /// Where the media's value starts (the integer or the mapping).
    public var location: SourceLocation
    /// Where the assignment was decided (the `assignment` value, or the integer form).
    public var assignmentLocation: SourceLocation
    /// True for the mapping form, which allows other slot ranges.
    public var isMappingForm: Bool = false
}

public struct Site: Sendable {
    public var id: String
    public var location: SourceLocation
    public var name: Located<String>?
    public var multimediaProfile: Located<String>?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

public struct Team: Sendable {
    public var id: String
    public var location: SourceLocation
    public var name: Located<String>?
    public var site: Located<String>
    public var multimediaProfile: Located<String>?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

public struct DesktopProfile: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var outboundEntryPoints: Located<Selection>
    public var wrapUpReasons: Located<Selection>
    public var autoWrapUpSeconds: Located<Int>?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

public struct EntryPoint: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var channel: Located<Channel>
    public var address: Located<String>?
    public var outbound: Located<Bool>
    public var queue: Located<String>?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

public struct Queue: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var channel: Located<Channel>
    public var routing: Located<Routing>
    public var teams: [Located<String>]
    public var serviceLevelSeconds: Located<Int>?
    public var maxTimeInQueueSeconds: Located<Int>?
    /// nil means every active reason.
    public var wrapUpReasons: [Located<String>]?
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

public struct WrapUpReason: Sendable {
    public var id: String
    public var location: SourceLocation
    public var description: Located<String>?
    public var isDefault: Located<Bool>
    public var active: Located<Bool>
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public var externalId: Located<String>? = nil
}

/// An agent. A class, unlike the other entities: a large tenant holds tens of thousands, and
/// tables of references grow and copy without moving every field.
public final class Agent: Sendable {
    public let id: String
    public let location: SourceLocation
    public let name: Located<String>
    public let email: Located<String>?
    public let licence: Located<String>
    public let site: Located<String>
    public let teams: [Located<String>]
    public let desktopProfile: Located<String>
    public let multimediaProfile: Located<String>?
    public let active: Located<Bool>
    /// The id in the system it was imported from (`import webex`); the gate does not read it.
    public let externalId: Located<String>?

    public init(
        id: String, location: SourceLocation, name: Located<String>, email: Located<String>?, licence: Located<String>,
        site: Located<String>, teams: [Located<String>], desktopProfile: Located<String>,
        multimediaProfile: Located<String>?, active: Located<Bool>, externalId: Located<String>? = nil
    ) {
        self.id = id
        self.location = location
        self.name = name
        self.email = email
        self.licence = licence
        self.site = site
        self.teams = teams
        self.desktopProfile = desktopProfile
        self.multimediaProfile = multimediaProfile
        self.active = active
        self.externalId = externalId
    }
}
