import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

/// What `apply` and `rollback` share: write the desired state, showing the plan the write
/// carried out. Deletions are confirmed first on a terminal (plan shown, then a prompt, and
/// the write is bound to the revision shown); without a terminal they need `--yes`.
struct ApplyFlow {
    let store: OutboundStore
    let terminal: Terminal
    let quiet: Bool
    let yes: Bool
    let expectedRevision: Int?
    let author: String
    /// Print the outcome as JSON (`{"applied", "revision", "plan"}`) instead of text.
    var json = false

    private var reporter: PlanReporter { PlanReporter(terminal: terminal, limit: 50) }

    func run(_ desired: DesiredState, message: String, base: PlanBase?) throws {
        var base = base
        if !yes, !json, Terminal.standardInputIsInteractive {
            let plan = try store.plan(to: desired)
            let deletions = plan.count(.delete)
            if deletions > 0 {
                emit(reporter.text(plan))
                emit("\nThis deletes \(plural(deletions, "object")). Only 'yes' will be accepted to approve: ")
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    throw CommandFailure("cancelled", "cancelled; nothing was written")
                }
                base = base ?? PlanBase(storeId: nil, revision: plan.baseRevision ?? 0)
                return try write(desired, message: message, base: base, allowDeletes: true, planShown: true)
            }
        }
        do {
            let agents = desired.gate.configuration.agents.count
            try Progress.whileRunning("Comparing \(agents) agents with the store and writing…", when: agents > 5_000, quiet: quiet) {
                try write(desired, message: message, base: base, allowDeletes: yes, planShown: false)
            }
        } catch StoreError.deletionsNeedConfirmation(let count) {
            if !json { emit(reporter.text(try store.plan(to: desired))) }
            throw StoreError.deletionsNeedConfirmation(count)
        }
    }

    private func write(_ desired: DesiredState, message: String, base: PlanBase?, allowDeletes: Bool, planShown: Bool) throws {
        let outcome = try InterruptGuard.writing(
            { willCommit in
                try store.apply(
                    desired, author: author, message: message, base: base, expectedRevision: expectedRevision,
                    allowDeletes: allowDeletes, willCommit: willCommit)
            }, revision: { if case .applied(let revision, _, _) = $0 { revision } else { nil } })
        if json {
            let (applied, revision, plan): (Bool, Int, Plan) =
                switch outcome {
                case .unchanged(let revision): (false, revision, Plan(baseRevision: revision, changes: [], impact: []))
                case .applied(let revision, let plan, _): (true, revision, plan)
                }
            return emit(JSON.object([("applied", .bool(applied)), ("revision", .int(revision)), ("plan", plan.json)]).rendered(pretty: true) + "\n")
        }
        switch outcome {
        case .unchanged(let revision):
            emit("No changes. The configuration matches the store (revision \(revision)).\n")
        case .applied(let revision, let plan, _):
            if !planShown, !quiet { emit(reporter.text(plan) + "\n") }
            emit(
                "Applied revision \(revision): \(plan.count(.create)) created, \(plan.count(.update)) updated, \(plan.count(.delete)) deleted; "
                    + "\(plural(plan.affectedAgents, "agent")) changed outbound availability.\n")
        }
    }
}
