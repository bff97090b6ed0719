import OutboundConfig

/// A closed vocabulary of Cisco's schema (`channelType`, `profileType`, …). The schema check
/// (WebexSchemaCheck) refuses a value outside it before anything is decoded; decoding says the
/// same at the same path, for a decoder used on its own.
public protocol WebexEnumeration: RawRepresentable, CaseIterable, Hashable, Sendable, Decodable where RawValue == String {}

extension WebexEnumeration {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(raw)' is not one of \(allowed)"))
        }
        self = value
    }
}

/// Which of a list an agent or desktop profile grants (`accessEntryPoint`, `accessWrapUpCode`, …).
public enum WebexAccess: String, WebexEnumeration {
    case specific = "SPECIFIC"
    case all = "ALL"
    case provisionedValue = "PROVISIONED_VALUE"
    case none = "NONE"
}

/// The social networks of `SOCIAL_CHANNEL` entry points and queues. SMS is `MESSAGEBIRD`
/// (the API has no SMS channel type).
public enum WebexSocialChannel: String, WebexEnumeration {
    case messageBird = "MESSAGEBIRD"
    case messenger = "MESSENGER"
    case whatsApp = "WHATSAPP"
    case appleBusinessChat = "APPLE_BUSINESS_CHAT"
    case googleBusinessMessages = "GOOGLE_BUSINESS_MESSAGES"
}
