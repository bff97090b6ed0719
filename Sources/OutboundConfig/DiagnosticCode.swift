/// The stable identifier of every problem `outboundctl` can report. Codes never change meaning
/// once shipped: CI pipelines filter and suppress by them. `OB1xx` are syntax and shape,
/// `OB2xx` references, `OB3xx` rules, `OB4xx` warnings about outbound readiness.
/// `docs/diagnostics.md` lists them; a test keeps the two in sync.
public enum DiagnosticCode: String, CaseIterable, Hashable, Sendable, Comparable {
    case yamlSyntax = "OB100"
    case duplicateKey = "OB101"
    case aliasBudget = "OB102"
    case nestingTooDeep = "OB103"
    case multipleDocuments = "OB104"
    case notAMapping = "OB105"
    case limitExceeded = "OB106"
    case unknownAlias = "OB107"
    case unreadableFile = "OB108"
    case unknownKey = "OB110"
    case wrongType = "OB111"
    case invalidValue = "OB112"
    case missingField = "OB113"
    case invalidId = "OB114"
    case duplicateId = "OB115"
    case unsupportedVersion = "OB116"
    case duplicateListEntry = "OB117"
    case unknownReference = "OB201"
    case queueChannelMismatch = "OB202"
    case tenantMissing = "OB301"
    case slotsOutOfRange = "OB303"
    case blendedRealtimeNeedsVoiceAndChat = "OB304"
    case outboundNotSupported = "OB305"
    case addressMismatch = "OB306"
    case licenceSeatsExceeded = "OB307"
    case wrapUpDefaultCount = "OB308"
    case reservedId = "OB309"
    case licenceDatesReversed = "OB310"
    case invalidTimezone = "OB311"
    case premiumLicenceUnused = "OB401"
    case outboundEntryPointWithoutQueue = "OB402"
    case outboundQueueWithoutWrapUp = "OB403"
    case unusedDesktopProfile = "OB404"
    case unusedMultimediaProfile = "OB405"
    case digitalDisabledWithPremium = "OB406"

    public var severity: Diagnostic.Severity {
        rawValue.hasPrefix("OB4") ? .warning : .error
    }

    /// One line of documentation, shown in `docs/diagnostics.md` and in SARIF rule metadata.
    public var summary: String {
        switch self {
        case .yamlSyntax: "The file is not valid YAML (including invalid UTF-8, tabs used for indentation, control characters)."
        case .duplicateKey: "A mapping defines the same key twice."
        case .aliasBudget: "Aliases expand to more nodes than allowed (protects against \"billion laughs\" files)."
        case .nestingTooDeep: "Collections are nested deeper than allowed."
        case .multipleDocuments: "A file holds more than one YAML document."
        case .notAMapping: "The top level of a file, or a section, is not a mapping."
        case .limitExceeded: "A file, scalar or file count exceeds a documented limit (see docs/limits.md)."
        case .unknownAlias: "An alias refers to an anchor that is not defined before it."
        case .unreadableFile: "A configuration file cannot be read."
        case .unknownKey: "A key is not part of the file format (a \"did you mean\" hint names the closest known key)."
        case .wrongType: "A value has the wrong type (e.g. a string where an integer is expected)."
        case .invalidValue: "A value is outside its allowed set or range."
        case .missingField: "A required field is missing."
        case .invalidId: "An id does not match ^[a-z0-9][a-z0-9._-]{0,63}$."
        case .duplicateId: "An id is defined more than once across the files (both places are named)."
        case .unsupportedVersion: "The top-level version is not 1."
        case .duplicateListEntry: "A list of ids names the same id twice (often a typo for another id)."
        case .unknownReference: "A reference names an id that is not defined."
        case .queueChannelMismatch: "An entry point's queue serves a different channel than the entry point."
        case .tenantMissing: "No file defines the tenant section."
        case .slotsOutOfRange: "A multimedia profile's slot count is out of range for its assignment."
        case .blendedRealtimeNeedsVoiceAndChat: "A blended-realtime profile needs voice: 1 and chat of at least 1."
        case .outboundNotSupported: "outbound: true on an entry point whose channel is not email or sms."
        case .addressMismatch: "An entry point's address does not fit its channel (E.164 for phone channels, an email address for email)."
        case .licenceSeatsExceeded: "More active agents hold a licence than it has seats."
        case .wrapUpDefaultCount: "The active wrap-up reasons do not have exactly one default."
        case .reservedId: "The reserved multimedia profile id default-telephony is redefined."
        case .licenceDatesReversed: "A licence's validFrom is after its validUntil."
        case .invalidTimezone: "The tenant's timezone is not a known IANA time zone name."
        case .premiumLicenceUnused: "An active agent holds a Premium licence but can start no outbound channel."
        case .outboundEntryPointWithoutQueue: "An outbound entry point has no queue for replies and transfers."
        case .outboundQueueWithoutWrapUp: "The queue of an outbound entry point has no active wrap-up reason."
        case .unusedDesktopProfile: "No agent uses this desktop profile."
        case .unusedMultimediaProfile: "No agent, team or site uses this multimedia profile."
        case .digitalDisabledWithPremium: "Digital channels are disabled for the tenant while Premium licences are assigned."
        }
    }

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
