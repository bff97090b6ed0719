import Foundation
import OutboundConfig
import OutboundWebex

/// What Cisco's schemas require of an item that the import does not map, added to each item of
/// the small exports the unit tests write when the item lacks it. Each test's export is then
/// valid under the schemas, so that the import has no warning to count, while its text shows
/// only the fields the test is about. References (a site's `multimediaProfileId`) are never filled in: a test states
/// those.
enum WebexRequiredFields {
    private static let byResource: [WebexResource: [(String, JSON)]] = [
        // The v3 shape (an item without permissionAccessLevel would be checked as an older UserProfileDTO).
        .userProfile: [("permissionAccessLevel", .string("ALL")), ("resourceAccessLevel", .string("ALL"))],
        .agentProfile: [
            ("accessBuddyTeam", .string("ALL")), ("accessIdleCode", .string("ALL")), ("accessQueue", .string("ALL")),
            ("agentDNValidation", .string("PROVISIONED_VALUE")), ("parentType", .string("ORGANIZATION")),
        ],
        .entryPoint: [
            ("assetId", .string("asset")), ("controlFlowScriptUrl", .string("https://flows.example/flow")), ("imiOrgType", .string("IMI")),
            ("maximumActiveContacts", .int(100)), ("overflowNumber", .string("")), ("serviceLevelThreshold", .int(20)),
        ],
        .queue: [("checkAgentAvailability", .bool(false)), ("maxActiveContacts", .int(500)), ("queueType", .string("INBOUND"))],
        .auxiliaryCode: [("workTypeId", .string("work-type"))],
    ]

    /// The file's text with its items completed; text that is not a list of objects (the bad
    /// input some tests write) comes back as it was.
    static func complete(file name: String, _ text: String) -> String {
        guard let resource = WebexResource.parse(fileName: name)?.resource, let fields = byResource[resource],
            let json = try? JSON.parse(text)
        else { return text }
        func completed(_ item: JSON) -> JSON {
            guard case .object(var members) = item else { return item }
            for (key, value) in fields where !members.contains(where: { $0.0 == key }) { members.append((key, value)) }
            return .object(members)
        }
        switch json {
        case .array(let items):
            return JSON.array(items.map(completed)).rendered()
        case .object(var members):
            guard let index = members.firstIndex(where: { $0.0 == "data" }), case .array(let items) = members[index].1 else { return text }
            members[index].1 = .array(items.map(completed))
            return JSON.object(members).rendered()
        default:
            return text
        }
    }
}
