import OutboundConfig

/// `webex pull` (SPEC §10): every list `import webex` reads, read page by page from the tenant,
/// checked as the import checks its files, and laid out as the files the import reads — so
/// `webex pull --out raw && import webex raw --out config` adopts a live tenant.
public enum WebexPull {
    /// What one list's read came to.
    public struct ListSummary: Sendable {
        public var resource: WebexResource
        public var items = 0
        public var pages = 0
        /// Queues listed without `callDistributionGroups`, read whole by id.
        public var readWhole = 0
        /// Whether the list moved while it was read and was read again.
        public var readAgain = false
    }

    public struct Outcome: Sendable {
        /// The export's files, `NAME.json` each, items sorted by id.
        public var files: [(name: String, bytes: [UInt8])] = []
        /// Schema problems of the items: an error refuses the pull, a warning is reported.
        public var problems: [WebexInputProblem] = []
        public var lists: [ListSummary] = []

        public var hasErrors: Bool { problems.contains { $0.severity == .error } }
    }

    /// How many requests of one list are in flight at once, pages or queues read whole: enough
    /// that a slow answer does not hold the pace back, few enough to be polite (the pacer spaces
    /// their starts anyway). Nine lists at once make 36, under the client's connections to one
    /// host (`WebexClient.connections`), so no request waits for a connection past its start.
    static let requestsInFlight = 4

    /// Reads every list. Throws `WebexAPIError` when the tenant cannot be read.
    public static func run(client: WebexClient, pageSize: Int) async throws -> Outcome {
        let lists = try await withThrowingTaskGroup(of: PulledList.self) { group in
            for resource in WebexResource.allCases {
                group.addTask { try await PulledList.read(resource, client: client, pageSize: pageSize) }
            }
            var lists: [WebexResource: PulledList] = [:]
            for try await list in group { lists[list.summary.resource] = list }
            return lists
        }
        var outcome = Outcome()
        for resource in WebexResource.allCases {
            let list = lists[resource]!
            outcome.problems += list.problems
            outcome.lists.append(list.summary)
            outcome.files.append((resource.fileName(page: 1), list.fileBytes))
        }
        return outcome
    }
}
