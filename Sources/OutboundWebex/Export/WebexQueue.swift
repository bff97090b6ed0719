import OutboundConfig

/// An item of `contact-service-queue.json`: Cisco's `ContactServiceQueueDTO`, the fields the
/// import maps. A queue's teams are those of `callDistributionGroups[].agentGroups[].teamId`.
public struct WebexQueue: WebexItem, Hashable {
    public static let resource = WebexResource.queue

    /// Queues also take `WORK_ITEM`, which entry points do not.
    public enum ChannelType: String, WebexEnumeration {
        case telephony = "TELEPHONY"
        case email = "EMAIL"
        case fax = "FAX"
        case chat = "CHAT"
        case video = "VIDEO"
        case others = "OTHERS"
        case socialChannel = "SOCIAL_CHANNEL"
        case workItem = "WORK_ITEM"
    }

    public enum RoutingType: String, WebexEnumeration {
        case longestAvailableAgent = "LONGEST_AVAILABLE_AGENT"
        case skillsBased = "SKILLS_BASED"
        case circular = "CIRCULAR"
        case linear = "LINEAR"
    }

    public enum QueueRoutingType: String, WebexEnumeration {
        case teamBased = "TEAM_BASED"
        case skillBased = "SKILL_BASED"
        case agentBased = "AGENT_BASED"
    }

    public struct DistributionGroup: Decodable, Hashable, Sendable {
        public struct AgentGroup: Decodable, Hashable, Sendable {
            public var teamId: String?
        }

        public var agentGroups: [AgentGroup]?
        /// The group's place and time in turn: kept as they are by `webex push`.
        public var order: Int?
        public var duration: Int?
    }

    /// Required here although optional in the schema: entry points of `extra.yaml` name queues by it.
    public var id: String
    public var name: String
    public var description: String?
    public var channelType: ChannelType
    public var socialChannelType: WebexSocialChannel?
    public var active: Bool
    public var routingType: RoutingType
    public var queueRoutingType: QueueRoutingType
    public var callDistributionGroups: [DistributionGroup]
    public var serviceLevelThreshold: Int
    public var maxTimeInQueue: Int

    /// The team ids of every distribution group, in order, each once.
    public var teamIds: [String] {
        var seen = Set<String>()
        return callDistributionGroups.flatMap { $0.agentGroups ?? [] }.compactMap(\.teamId).filter { seen.insert($0).inserted }
    }
}
