/// A closed vocabulary of Cisco's schema (`channelType`, `profileType`, …). Decoding a value
/// outside it fails at its JSON path with the allowed values spelled out, as the schema check
/// of the fixtures (scripts/webex-fixture-check.py) would say it.
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
    case specific = "SPECIFIC", all = "ALL", provisionedValue = "PROVISIONED_VALUE", none = "NONE"
}

/// The social networks of `SOCIAL_CHANNEL` entry points and queues. SMS is `MESSAGEBIRD`
/// (the API has no SMS channel type).
public enum WebexSocialChannel: String, WebexEnumeration {
    case messageBird = "MESSAGEBIRD", messenger = "MESSENGER", whatsApp = "WHATSAPP"
    case appleBusinessChat = "APPLE_BUSINESS_CHAT", googleBusinessMessages = "GOOGLE_BUSINESS_MESSAGES"
}
