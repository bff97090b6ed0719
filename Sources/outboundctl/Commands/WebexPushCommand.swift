import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// `outboundctl webex push [paths]`: the plan's changes sent to the live tenant.
struct WebexPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Change a live tenant to match the files: the changes webex plan shows, and nothing else.",
        discussion: HelpText.discussion(
            [
                "Plans as webex plan does (or takes a saved plan with --plan), shows the plan, asks on a terminal (--yes otherwise), then sends the changes in reference order: multimedia profiles, sites, wrap-up codes, teams, queues, entry points, desktop profiles, users; deletes (--prune) in reverse.",
                "An update reads the entity, checks its version is the one planned (else it is skipped as changed in Webex, and the push goes on), changes only the planned fields and sends the whole object back. A create first looks for an entity of that name and adopts it. A delete still referred to is reported with its references.",
                "Every request's intent and outcome goes to the journal (--journal, default .outboundctl/webex-ORG.journal), forced to disk before and after each request: a push stopped by kill -9, a lost connection or an expired token is finished by running it again. The journal is locked while a push runs: a second push with the same journal is refused.",
            ],
            exits: [
                (0, "pushed (or nothing to push)"),
                (1, "invalid files or plan, not confirmed, another push running, or something skipped, refused or left"),
                (3, "API or network error after retries, token refused (run it again to finish)"), HelpText.usageError,
            ],
            examples: [
                "outboundctl webex push config/ --org $ORG --token-file ~/.webex-token",
                "outboundctl webex push config/ --yes --write-ids",
                "outboundctl webex push --plan tenant.plan --yes",
            ])
    )

    @OptionGroup var planning: WebexPlanningOptions

    @Option(help: "Push a plan saved by webex plan --out (no paths then).")
    var plan: String?

    @Flag(help: "Push without asking (required when there is no terminal to ask on).")
    var yes = false

    @Flag(help: "Write each created entity's Webex id into its YAML entry as externalId (one inserted line).")
    var writeIds = false

    @Flag(help: "Send user updates one at a time (GET and PUT each) instead of 100 a request through PATCH user/bulk.")
    var noBulk = false

    @Option(help: "The journal file (default: .outboundctl/webex-ORG.journal).")
    var journal: String?

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var connection: WebexConnectionOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if plan != nil, !planning.paths.isEmpty || planning.extra != nil || planning.prune {
            throw ValidationError("--plan pushes a saved plan: give no paths, --extra or --prune (they were fixed when it was made)")
        }
    }

    func run() async throws {
        let (client, status) = try connection.connect(quiet: output.quiet || format == .json)
        let result: Result<Int32, any Error>
        do {
            result = .success(try await push(client: client, status: status))
        } catch {
            result = .failure(error)
        }
        status.clear()
        await client.shutdown()
        switch result {
        case .success(let code): finish(status: code, keeping: ())
        case .failure(let error as WebexAPIError):
            throw CommandFailure(error.code, "\(error); the journal holds what landed, and running the push again finishes it", status: 3)
        case .failure(let error): throw error
        }
    }

    private func push(client: WebexClient, status: StatusLine) async throws -> Int32 {
        let org = client.endpoint.org
        // The journal is opened (and held) before the tenant is read: a bad path or another
        // push running is said at once, not after a pull.
        let journalPath = journal ?? WebexJournal.defaultPath(org: org)
        let unfinished = WebexJournal.unfinished(at: journalPath, org: org)
        let record: WebexJournal
        do {
            record = try WebexJournal(path: journalPath, org: org)
        } catch let busy as WebexJournal.Busy {
            throw CommandFailure("push-running", busy.description)
        } catch {
            throw CommandFailure("unwritable-journal", "\(VisibleText.escaping(journalPath)): cannot be written: \(Self.reason(error))")
        }
        let toPush: WebexPlan
        if let plan {
            toPush = try savedPlan(plan, org: org)
        } else {
            toPush = try await WebexPlanning.make(
                planning, from: nil, org: org, client: client, status: status, quiet: output.quiet, json: format == .json
            ).plan
        }
        let reporter = WebexPlanReporter(terminal: output.terminal)
        if format == .text, !output.quiet { emit(reporter.text(toPush)) }
        guard toPush.hasChanges else {
            if format == .json { emit(document(toPush, outcomes: []).rendered(pretty: true) + "\n") }
            return 0
        }
        if let unfinished {
            printError(
                "note: the push started \(unfinished.started) did not finish (\(plural(unfinished.sent, "change")) sent without a recorded outcome); "
                    + "what landed is found in the tenant and not sent again, and the rest is sent now")
        }
        try confirm(toPush)
        let text = format == .text
        let outcomes: [WebexPush.Outcome]
        do {
            outcomes = try await WebexPush(client: client, journal: record, bulk: !noBulk) { outcome in
                status.clear()
                if text { emit(line(outcome)) }
            }.run(toPush)
        } catch let error as WebexAPIError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            // The journal could not be written: stop rather than send what it cannot record.
            throw CommandFailure(
                "unwritable-journal",
                "\(VisibleText.escaping(journalPath)): cannot be written (\(error.localizedDescription)); the push stopped there", status: 3)
        }
        status.clear()
        let idProblems = writeIds ? writeIds(outcomes) : []
        let left = outcomes.filter { $0.result == .skipped || $0.result == .failed }
        if format == .json {
            emit(document(toPush, outcomes: outcomes).rendered(pretty: true) + "\n")
        } else {
            let landed = outcomes.filter { $0.result == .landed }.count
            let adopted = outcomes.filter { $0.result == .adopted }.count
            emit(
                "\nPushed: \(landed) landed, \(adopted) already in place, \(outcomes.filter { $0.result == .skipped }.count) skipped, "
                    + "\(outcomes.filter { $0.result == .failed }.count) refused; \(plural(client.current.requests, "request")).\n")
            if outcomes.contains(where: { $0.result == .skipped }) {
                emit("A skipped entity was changed in Webex since the plan: run webex plan again to see it as it is now.\n")
            }
        }
        return left.isEmpty && idProblems.isEmpty ? 0 : 1
    }

    /// An error's reason without Foundation's "The operation could not be completed".
    static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    private func savedPlan(_ path: String, org: String) throws -> WebexPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("unreadable-plan", "\(VisibleText.escaping(path)): cannot be read")
        }
        let saved: WebexPlanFile.Saved
        do {
            saved = try WebexPlanFile.read([UInt8](data))
        } catch {
            throw CommandFailure("invalid-plan", "\(VisibleText.escaping(path)): \(VisibleText.escaping(error.description))")
        }
        guard saved.plan.org == org else {
            throw CommandFailure("invalid-plan", "\(VisibleText.escaping(path)) was made for organisation \(saved.plan.org), not \(org)")
        }
        if writeIds, let changed = saved.changedFiles().first {
            throw CommandFailure(
                "files-changed",
                "\(VisibleText.escaping(changed)) changed since the plan was made: --write-ids would write into the wrong lines; plan again")
        }
        return saved.plan
    }

    /// On a terminal the plan was shown: only "yes" goes on. Without one, `--yes` must say so.
    private func confirm(_ plan: WebexPlan) throws {
        guard !yes else { return }
        guard Terminal.standardInputIsInteractive, format == .text else {
            throw CommandFailure("confirmation-required", "webex push changes the live tenant: pass --yes to push without a terminal to confirm on")
        }
        emit("\nPush \(plural(plan.changes.count, "change")) to organisation \(plan.org)? Only 'yes' will be accepted to approve: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            throw CommandFailure("cancelled", "cancelled; nothing was sent")
        }
    }

    private func line(_ outcome: WebexPush.Outcome) -> String {
        let change = outcome.change
        let verb =
            switch (outcome.result, change.action) {
            case (.landed, .create): "created"
            case (.landed, .update): "updated"
            case (.landed, .delete): "deleted"
            case (.adopted, _): "in place"
            case (.skipped, _): "skipped"
            case (.failed, _): "refused"
            }
        let mark = outcome.result == .landed || outcome.result == .adopted ? "✓" : "✗"
        return "\(mark) \(verb) \(change.resource.rawValue) \(change.id)" + (outcome.webexId.map { " (\(VisibleText.escaping($0)))" } ?? "")
            + (outcome.detail.map { ": \($0)" } ?? "") + "\n"
    }

    /// Writes each created (or adopted) entity's id into its entry, bottom up within a file so
    /// earlier lines stay where the plan found them; the problems are printed and returned.
    private func writeIds(_ outcomes: [WebexPush.Outcome]) -> [String] {
        var problems: [String] = []
        let created = outcomes.filter { $0.change.action == .create && $0.webexId != nil && ($0.result == .landed || $0.result == .adopted) }
        for outcome in created.sorted(by: { ($0.change.file ?? "", $0.change.line ?? 0) > ($1.change.file ?? "", $1.change.line ?? 0) }) {
            guard let file = outcome.change.file, let line = outcome.change.line, let webexId = outcome.webexId else {
                problems.append("\(outcome.change.id): the plan does not say where the entry is; add externalId: \(outcome.webexId ?? "") by hand")
                continue
            }
            do {
                try ExternalIdWriter.insert(webexId, entry: outcome.change.id, line: line, in: file)
            } catch {
                problems.append(error.description)
            }
        }
        for problem in problems { printError("error: \(VisibleText.escaping(problem))") }
        return problems
    }

    private func document(_ plan: WebexPlan, outcomes: [WebexPush.Outcome]) -> JSON {
        .object([("plan", plan.json), ("results", .array(outcomes.map(\.json)))])
    }
}

extension WebexPushCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
