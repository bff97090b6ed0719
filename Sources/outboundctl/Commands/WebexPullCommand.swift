import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// `outboundctl webex pull --out DIR`: the tenant's lists as the files `import webex` reads.
struct WebexPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Read every list import webex needs from a live tenant into a directory.",
        discussion: HelpText.discussion(
            [
                "Reads the paged lists v2/multimedia-profile, v2/site, v2/team, v2/user, v2/agent-profile, v2/entry-point, v2/contact-service-queue, v2/auxiliary-code and v3/user-profile, every page, and writes one file per list (NAME.json, items sorted by id), so import webex DIR --out CONFIG adopts the tenant. Queues listed without their distribution groups are read whole by id.",
                "Items are checked against Cisco's schemas as import webex checks them: a problem in a field the import reads is an error (list, page, JSON path) and nothing is written; one in another field is a warning.",
                "DIR is written whole or not at all; a non-empty DIR is refused without --force, which replaces the lists and keeps other files (extra.yaml). The token comes from --token-file or WEBEX_TOKEN, never from the command line.",
            ],
            exits: [
                (0, "pulled"), (1, "invalid items from the API, --out not empty or not writable"),
                (3, "API or network error after retries, token refused, the tenant changed during the pull"), HelpText.usageError,
            ],
            examples: [
                "outboundctl webex pull --org $ORG --token-file ~/.webex-token --out raw/",
                "outboundctl webex pull --out raw/ && outboundctl import webex raw/ --out config/",
            ])
    )

    @Option(help: "The directory to write the lists to.")
    var out: String

    @Flag(help: "Replace the lists in a non-empty directory (other files there are kept).")
    var force = false

    @Option(help: "Items a page, from 1 to 1000 (Cisco may serve fewer).")
    var pageSize = 100

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var connection: WebexConnectionOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be from 1 to 1000") }
        guard !out.isEmpty else { throw ValidationError("--out is empty; name the directory to write the lists to") }
    }

    func run() async throws {
        let directory = PulledDirectory(path: out, force: force)
        try refusing { try directory.checkWritable() }
        let (client, status) = try connection.connect(quiet: output.quiet)
        let result: Result<WebexPull.Outcome, any Error>
        do {
            result = .success(try await WebexPull.run(client: client, pageSize: pageSize))
        } catch {
            result = .failure(error)
        }
        status.clear()
        let requests = client.current.requests
        await client.shutdown()
        let outcome: WebexPull.Outcome
        switch result {
        case .success(let pulled): outcome = pulled
        case .failure(let error as WebexAPIError): throw CommandFailure(error.code, "\(error)", status: 3)
        case .failure(let error): throw error
        }
        WebexProblemReporter.print(outcome.problems, directory: nil)
        if outcome.hasErrors {
            let errors = outcome.problems.filter { $0.severity == .error }.count
            let message = "\(plural(errors, "error")) in what the tenant sent; nothing written"
            printError("error: \(message)")
            if format == .json {
                emit(
                    JSON.object([
                        ("error", .object([("code", .string("invalid-items")), ("message", .string(message))])),
                        ("problems", .array(outcome.problems.map(\.json))),
                    ]).rendered(pretty: true) + "\n")
            }
            finish(status: 1, keeping: ())
        }
        try refusing { try directory.write(outcome.files) }
        if format == .json {
            emit(document(outcome, org: client.endpoint.org, requests: requests).rendered(pretty: true) + "\n")
        } else if !output.quiet {
            let items = outcome.lists.reduce(0) { $0 + $1.items }
            let pages = outcome.lists.reduce(0) { $0 + $1.pages }
            emit(
                "Pulled \(plural(items, "item")) of \(plural(outcome.lists.count, "list")) (\(plural(pages, "page")), \(plural(requests, "request"))) into \(VisibleText.escaping(out)).\n"
                    + "Next: outboundctl import webex \(VisibleText.escaping(out)) --out config/ (what the API does not hold goes in \(VisibleText.escaping((out as NSString).appendingPathComponent("extra.yaml"))); see docs/webex.md)\n"
            )
        }
    }

    private func refusing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let refusal as PulledDirectory.Refusal {
            throw CommandFailure(refusal.code, refusal.description)
        }
    }

    private func document(_ outcome: WebexPull.Outcome, org: String, requests: Int) -> JSON {
        JSON.object([
            ("org", .string(org)),
            ("out", .string(out)),
            ("requests", .int(requests)),
            (
                "lists",
                .array(
                    outcome.lists.map { list in
                        .object([
                            ("resource", .string(list.resource.rawValue)), ("path", .string(list.resource.listPath)),
                            ("file", .string(list.resource.fileName(page: 1))), ("items", .int(list.items)), ("pages", .int(list.pages)),
                            ("readWhole", .int(list.readWhole)), ("readAgain", .bool(list.readAgain)),
                        ])
                    })
            ),
            ("warnings", .array(outcome.problems.filter { $0.severity == .warning }.map(\.json))),
        ])
    }
}

extension WebexPullCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
