import ArgumentParser

/// `outboundctl webex …`: the live tenant over Cisco's API (SPEC §10).
struct WebexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webex",
        abstract: "Read, compare and change a live Webex Contact Center tenant over Cisco's API.",
        subcommands: [WebexPullCommand.self, WebexPlanCommand.self, WebexPushCommand.self]
    )
}
