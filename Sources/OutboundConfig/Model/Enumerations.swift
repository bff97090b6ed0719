/// The closed vocabularies of the file format. Each raw value is the exact spelling in YAML.
public protocol ConfigEnum: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {}

/// A contact channel, as set on entry points and queues.
public enum Channel: String, ConfigEnum, Comparable {
    case voice, chat, email, sms, whatsapp, facebook
    case appleMessages = "apple-messages"

    /// The multimedia-profile slot kind that carries this channel.
    public var media: Media {
        switch self {
        case .voice: .voice
        case .chat: .chat
        case .email: .email
        case .sms, .whatsapp, .facebook, .appleMessages: .social
        }
    }

    /// Channels an agent may start an outbound conversation on.
    public static let outbound: [Channel] = [.email, .sms]

    public var supportsOutbound: Bool { Channel.outbound.contains(self) }

    /// Phone-number channels, whose entry point address is E.164.
    public var usesPhoneAddress: Bool { self == .voice || self == .sms || self == .whatsapp }

    public static func < (lhs: Channel, rhs: Channel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A kind of slot in a multimedia profile.
public enum Media: String, ConfigEnum {
    case voice, chat, email, social
}

public enum Blending: String, ConfigEnum {
    case blended
    case blendedRealtime = "blended-realtime"
    case exclusive
}

/// How work reaches the agent on a media: only auto-pushed slots make outbound possible.
public enum Assignment: String, ConfigEnum {
    case autoPushed = "auto-pushed"
    case manual
}

public enum LicenceType: String, ConfigEnum {
    case standardAgent = "standard-agent"
    case premiumAgent = "premium-agent"
    case standardSupervisor = "standard-supervisor"
    case premiumSupervisor = "premium-supervisor"

    /// Only Premium licences carry digital channels.
    public var isPremium: Bool { self == .premiumAgent || self == .premiumSupervisor }
}

public enum Routing: String, ConfigEnum {
    case longestAvailable = "longest-available"
    case skillsBased = "skills-based"
}

public enum DigitalChannels: String, ConfigEnum {
    case enabled, disabled
}

/// A day without a time, as `YYYY-MM-DD`; licence validity is judged per day.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= CalendarDate.days(inMonth: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        let pad: (Int, Int) -> String = { value, width in
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// `all`, or an explicit list of ids (desktop profile entry points and wrap-up reasons).
public enum Selection: Sendable, Equatable {
    case all
    case only([Located<String>])

    public func includes(_ id: String) -> Bool {
        switch self {
        case .all: true
        case .only(let ids): ids.contains { $0.value == id }
        }
    }
}
