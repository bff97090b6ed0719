import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change in the store, and whose outbound availability it changes.",
        discussion: HelpText.discussion(
            ["Creates, updates (field by field, old → new) and deletes, then whose outbound availability changes.",
             "A missing store plans from nothing (all creates) and creates nothing. The store is only read."],
            exits: [(0, "success (with --detailed-exitcode: no changes)"), (1, "invalid configuration"),
                    (2, "changes found (with --detailed-exitcode)"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl plan examples/acme", "outboundctl plan examples/acme --out acme.plan", "outboundctl apply --plan acme.plan"])
    )

    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: "Save the plan to this file, for `apply --plan`.")
    var out: String?

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "Output format: text, json or markdown (a pull-request comment).")
    var format: PlanFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let desired = try loadValidResult(paths.isEmpty ? ["."] : paths, quiet: output.quiet) { DesiredState($0, now: Date(), sourceDigest: $1) }.1
        let (plan, base) = try store.planIfExists(to: desired)
        emit(PlanReporter(terminal: output.terminal).report(plan, format: format))
        if let out {
            try SavedPlan(base: base, digest: desired.digest, document: desired.document, plan: plan).write(to: out)
            if format == .text, !output.quiet { emit("Saved the plan to \(out); apply it with `outboundctl apply --plan \(out)`.\n") }
        }
        finish(status: detailedExitcode && plan.hasChanges ? 2 : 0, keeping: (desired, plan))
    }
}

/// A plan saved by `plan --out`: bound to the store identity, the base revision, the
/// configuration digest and the tool version, and carrying the configuration itself so that
/// `apply --plan` writes exactly what was reviewed.
struct SavedPlan {
    var base: PlanBase
    var digest: String
    var document: String
    var plan: Plan?

    func write(to path: String) throws {
        let json = JSON.object([
            ("outboundctlPlan", .int(1)),
            ("toolVersion", .string(Outboundctl.version)),
            ("storeId", base.storeId.map { .string($0) } ?? .null),
            ("baseRevision", .int(base.revision)),
            ("digest", .string(digest)),
            ("document", .string(document)),
            ("plan", plan.map(\.json) ?? .null),
        ])
        do {
            try (json.rendered() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("write-failed", "cannot write the plan to \(path): \(error.localizedDescription)")
        }
    }

    static func read(from path: String) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("invalid-plan", "cannot read the saved plan \(path)")
        }
        guard let json = try? JSON.parse(String(decoding: data, as: UTF8.self)), json["outboundctlPlan"] == .int(1),
              case .int(let revision)? = json["baseRevision"], let digest = json["digest"]?.stringValue,
              let document = json["document"]?.stringValue
        else {
            throw CommandFailure("invalid-plan", "\(path) is not a plan saved by `outboundctl plan --out`")
        }
        if let version = json["toolVersion"]?.stringValue, version != Outboundctl.version {
            throw CommandFailure("stale-plan", "saved plan is stale: it was made by outboundctl \(version), this is \(Outboundctl.version); run `outboundctl plan` again")
        }
        guard CanonicalForm.digest(of: document) == digest else {
            throw CommandFailure("invalid-plan", "\(path) was modified after it was saved (digest mismatch)")
        }
        return SavedPlan(base: PlanBase(storeId: json["storeId"]?.stringValue, revision: revision), digest: digest, document: document, plan: nil)
    }
}
