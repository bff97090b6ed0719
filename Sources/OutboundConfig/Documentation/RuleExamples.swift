/// A triggering and a non-triggering example for a diagnostic code, in the manner of
/// SwiftLint's rule examples: the same snippets generate `docs/diagnostics.md` and drive the
/// tests. Each snippet is one file loaded beside `RuleExample.baseFiles`; `1️⃣` marks where
/// the diagnostic must land (markers are stripped before loading).
public struct RuleExample: Sendable {
    public var code: DiagnosticCode
    public var failing: String
    public var passing: String
    /// Base files the example replaces (e.g. the tenant file, to show a missing tenant).
    public var replacing: [String] = []

    /// A small valid tenant every example is loaded with: it defines the ids examples refer to.
    public static let baseFiles: [(path: String, text: String)] = [
        (
            "tenant.yaml",
            """
            tenant:
              name: Example
              digitalChannels: enabled

            """
        ),
        (
            "base.yaml",
            """
            licences:
              premium: { type: premium-agent, seats: 10 }
            multimediaProfiles:
              digital: { blending: blended, voice: 1, email: 1, social: 1 }
            sites:
              hq: { name: HQ, multimediaProfile: digital }
            teams:
              support: { site: hq }
            desktopProfiles:
              frontline: { outboundEntryPoints: all, wrapUpReasons: all }
            entryPoints:
              sms-main: { channel: sms, address: "+14155550100", outbound: true, queue: sms-q }
              email-main: { channel: email, address: help@example.com, outbound: true, queue: email-q }
            queues:
              sms-q: { channel: sms, teams: [support] }
              email-q: { channel: email, teams: [support] }
            wrapUpReasons:
              resolved: { description: Resolved, default: true }
            agents:
              ana: { name: Ana, licence: premium, site: hq, teams: [support], desktopProfile: frontline }

            """
        ),
    ]

    public static let all: [RuleExample] = [
        RuleExample(
            code: .yamlSyntax, failing: "agents:\n  bob: {name: Bob\n1️⃣",
            passing: "agents:\n  bob: {name: Bob, licence: premium, site: hq, teams: [support], desktopProfile: frontline}\n"),
        RuleExample(
            code: .duplicateKey, failing: "wrapUpReasons:\n  closed: {description: Closed}\n  1️⃣closed: {description: Closed again}\n",
            passing: "wrapUpReasons:\n  closed: {description: Closed}\n"),
        RuleExample(code: .aliasBudget, failing: billionLaughs, passing: "queues:\n  chat-q: &q {channel: chat, teams: [support]}\n  chat-q2: *q\n"),
        RuleExample(
            code: .nestingTooDeep, failing: "agents: " + String(repeating: "[", count: 255) + "1️⃣[" + String(repeating: "]", count: 256) + "\n",
            passing: "queues:\n  chat-q: {channel: chat, teams: [support]}\n"),
        RuleExample(code: .multipleDocuments, failing: "sites: {}\n1️⃣---\nteams: {}\n", passing: "---\nsites: {}\n"),
        RuleExample(code: .notAMapping, failing: "1️⃣- lisbon\n- porto\n", passing: "sites:\n  porto: {name: Porto}\n"),
        RuleExample(
            code: .limitExceeded,
            failing: "sites:\n  porto: {name: 1️⃣" + String(repeating: "x", count: LoaderLimits.default.maxScalarBytes + 1) + "}\n",
            passing: "sites:\n  porto: {name: Porto}\n"),
        RuleExample(
            code: .unknownAlias, failing: "sites:\n  porto: 1️⃣*somewhere\n", passing: "sites:\n  porto: &porto {name: Porto}\n  porto2: *porto\n"),
        RuleExample(code: .unknownKey, failing: "sites:\n  porto:\n    1️⃣nmae: Porto\n", passing: "sites:\n  porto:\n    name: Porto\n"),
        RuleExample(
            code: .wrongType, failing: "licences:\n  extra: {type: standard-agent, seats: 1️⃣\"ten\"}\n",
            passing: "licences:\n  extra: {type: standard-agent, seats: 10}\n"),
        RuleExample(
            code: .invalidValue, failing: "multimediaProfiles:\n  mixed: {blending: 1️⃣mixed, voice: 1}\nsites:\n  porto: {multimediaProfile: mixed}\n",
            passing: "multimediaProfiles:\n  mixed: {blending: blended, voice: 1}\nsites:\n  porto: {multimediaProfile: mixed}\n"),
        RuleExample(
            code: .missingField, failing: "agents:\n  1️⃣bob:\n    name: Bob\n    site: hq\n    teams: [support]\n    desktopProfile: frontline\n",
            passing: "agents:\n  bob:\n    name: Bob\n    licence: premium\n    site: hq\n    teams: [support]\n    desktopProfile: frontline\n"),
        RuleExample(code: .invalidId, failing: "sites:\n  1️⃣Porto: {name: Porto}\n", passing: "sites:\n  porto: {name: Porto}\n"),
        RuleExample(code: .duplicateId, failing: "sites:\n  1️⃣hq: {name: Head office}\n", passing: "sites:\n  hq2: {name: Head office}\n"),
        RuleExample(code: .unsupportedVersion, failing: "version: 1️⃣2\n", passing: "version: 1\n"),
        RuleExample(
            code: .duplicateListEntry, failing: "queues:\n  chat-q: {channel: chat, teams: [support, 1️⃣support]}\n",
            passing: "queues:\n  chat-q: {channel: chat, teams: [support]}\n"),
        RuleExample(code: .unknownReference, failing: "teams:\n  night: {site: 1️⃣hqq}\n", passing: "teams:\n  night: {site: hq}\n"),
        RuleExample(
            code: .queueChannelMismatch, failing: "entryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", queue: 1️⃣email-q}\n",
            passing: "entryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", queue: sms-q}\n"),
        RuleExample(
            code: .tenantMissing, failing: "1️⃣sites:\n  porto: {name: Porto}\n", passing: "tenant: {name: Example, digitalChannels: enabled}\n",
            replacing: ["tenant.yaml", "base.yaml"]),
        RuleExample(
            code: .slotsOutOfRange,
            failing:
                "multimediaProfiles:\n  heavy: {blending: blended, email: {assignment: auto-pushed, slots: 1️⃣8}}\nsites:\n  porto: {multimediaProfile: heavy}\n",
            passing:
                "multimediaProfiles:\n  heavy: {blending: blended, email: {assignment: manual, slots: 8}}\nsites:\n  porto: {multimediaProfile: heavy}\n"
        ),
        RuleExample(
            code: .blendedRealtimeNeedsVoiceAndChat,
            failing: "multimediaProfiles:\n  rt: {blending: 1️⃣blended-realtime, voice: 1}\nsites:\n  porto: {multimediaProfile: rt}\n",
            passing: "multimediaProfiles:\n  rt: {blending: blended-realtime, voice: 1, chat: 1}\nsites:\n  porto: {multimediaProfile: rt}\n"),
        RuleExample(
            code: .outboundNotSupported, failing: "entryPoints:\n  web: {channel: chat, outbound: 1️⃣true}\n",
            passing: "entryPoints:\n  web: {channel: chat}\n"),
        RuleExample(
            code: .addressMismatch, failing: "entryPoints:\n  sms-2: {channel: sms, address: 1️⃣\"4155550111\", queue: sms-q}\n",
            passing: "entryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", queue: sms-q}\n"),
        RuleExample(
            code: .licenceSeatsExceeded,
            failing:
                "licences:\n  one: {type: standard-agent, seats: 1️⃣1}\nagents:\n  bob: {name: Bob, licence: one, site: hq, teams: [support], desktopProfile: frontline}\n  eve: {name: Eve, licence: one, site: hq, teams: [support], desktopProfile: frontline}\n",
            passing:
                "licences:\n  one: {type: standard-agent, seats: 1}\nagents:\n  bob: {name: Bob, licence: one, site: hq, teams: [support], desktopProfile: frontline}\n  eve: {name: Eve, licence: one, site: hq, teams: [support], desktopProfile: frontline, active: false}\n"
        ),
        RuleExample(
            code: .wrapUpDefaultCount, failing: "wrapUpReasons:\n  closed: {description: Closed, default: 1️⃣true}\n",
            passing: "wrapUpReasons:\n  closed: {description: Closed, default: true, active: false}\n"),
        RuleExample(
            code: .reservedId, failing: "multimediaProfiles:\n  1️⃣default-telephony: {blending: blended, voice: 1}\n",
            passing: "sites:\n  porto: {multimediaProfile: default-telephony}\n"),
        RuleExample(
            code: .licenceDatesReversed,
            failing: "licences:\n  odd: {type: standard-agent, seats: 1, validFrom: 1️⃣2026-12-31, validUntil: 2026-01-01}\n",
            passing: "licences:\n  odd: {type: standard-agent, seats: 1, validFrom: 2026-01-01, validUntil: 2026-12-31}\n"),
        RuleExample(
            code: .invalidTimezone, failing: "tenant: {name: Example, digitalChannels: enabled, timezone: 1️⃣Europe/Lisbonn}\n",
            passing: "tenant: {name: Example, digitalChannels: enabled, timezone: Europe/Lisbon}\n", replacing: ["tenant.yaml"]),
        RuleExample(
            code: .premiumLicenceUnused,
            failing:
                "agents:\n  bob: {name: Bob, licence: 1️⃣premium, site: hq, teams: [support], desktopProfile: frontline, multimediaProfile: default-telephony}\n",
            passing: "agents:\n  bob: {name: Bob, licence: premium, site: hq, teams: [support], desktopProfile: frontline}\n"),
        RuleExample(
            code: .outboundEntryPointWithoutQueue, failing: "entryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", outbound: 1️⃣true}\n",
            passing: "entryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", outbound: true, queue: sms-q}\n"),
        RuleExample(
            code: .outboundQueueWithoutWrapUp,
            failing:
                "queues:\n  sms-2-q: {channel: sms, teams: [support], wrapUpReasons: []}\nentryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", outbound: true, queue: 1️⃣sms-2-q}\n",
            passing:
                "queues:\n  sms-2-q: {channel: sms, teams: [support], wrapUpReasons: [resolved]}\nentryPoints:\n  sms-2: {channel: sms, address: \"+14155550111\", outbound: true, queue: sms-2-q}\n"
        ),
        RuleExample(
            code: .unusedDesktopProfile, failing: "desktopProfiles:\n  1️⃣spare: {outboundEntryPoints: all}\n",
            passing:
                "desktopProfiles:\n  spare: {outboundEntryPoints: all}\nagents:\n  bob: {name: Bob, licence: premium, site: hq, teams: [support], desktopProfile: spare}\n"
        ),
        RuleExample(
            code: .unusedMultimediaProfile, failing: "multimediaProfiles:\n  1️⃣spare: {blending: blended, voice: 1}\n",
            passing: "multimediaProfiles:\n  spare: {blending: blended, voice: 1}\nteams:\n  night: {site: hq, multimediaProfile: spare}\n"),
        RuleExample(
            code: .digitalDisabledWithPremium, failing: "tenant: {name: Example, digitalChannels: 1️⃣disabled}\n",
            passing: "tenant: {name: Example, digitalChannels: enabled}\n", replacing: ["tenant.yaml"]),
    ]

    static let billionLaughs: String = {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...12 {
            // Level 6's first alias pushes the expansion past the default budget of 1,000,000 nodes.
            let marker = level == 6 ? "1️⃣" : ""
            text += "a\(level): &a\(level) [\(marker)\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n"
        }
        return text
    }()

    /// The example's files with markers removed: the base files (less those replaced) and the
    /// snippet as `example.yaml`.
    public func files(failing: Bool) -> [(path: String, text: String)] {
        let snippet = RuleExample.strippingMarkers(failing ? self.failing : passing)
        return RuleExample.baseFiles.filter { !replacing.contains($0.path) } + [("example.yaml", snippet)]
    }

    public static func strippingMarkers(_ text: String) -> String {
        text.replacingOccurrences(of: "1️⃣", with: "")
    }
}
