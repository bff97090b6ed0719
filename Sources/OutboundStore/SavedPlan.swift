import Foundation
import OutboundConfig

/// A plan saved by `plan --out`: bound to the store identity, the base revision, the
/// configuration digest and the tool version, and carrying the configuration itself so that
/// `apply --plan` writes exactly what was reviewed.
public struct SavedPlan: Sendable {
    public var base: PlanBase
    public var digest: String
    public var document: String
    /// The plan as shown when saved (written for readers of the file; `apply` plans afresh).
    public var plan: Plan?

    public init(base: PlanBase, digest: String, document: String, plan: Plan?) {
        self.base = base
        self.digest = digest
        self.document = document
        self.plan = plan
    }

    /// The plan of `desired` against `base`, to save.
    public init(_ desired: DesiredState, plan: Plan, base: PlanBase) {
        self.init(base: base, digest: desired.digest, document: desired.document, plan: plan)
    }

    /// Why a saved plan cannot be used: a stable code (`invalid-plan`, `stale-plan`,
    /// `write-failed`) and a message; `invalid` holds the diagnostics of a configuration in
    /// it that does not validate.
    public struct Problem: Error, Sendable {
        public var code: String
        public var message: String
        public var invalid: LoadResult?
    }

    /// Writes the plan to `path`, made by outboundctl `toolVersion`.
    public func write(to path: String, toolVersion: String) throws {
        let json = JSON.object([
            ("outboundctlPlan", .int(1)),
            ("toolVersion", .string(toolVersion)),
            ("storeId", base.storeId.map { .string($0) } ?? .null),
            ("baseRevision", .int(base.revision)),
            ("digest", .string(digest)),
            ("document", .string(document)),
            ("plan", plan.map(\.json) ?? .null),
        ])
        do {
            try (json.rendered() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Problem(code: "write-failed", message: "cannot write the plan to \(path): \(error.localizedDescription)")
        }
    }

    /// The plan saved at `path`, refused when it is not one, was changed after it was saved, or
    /// was made by another version of the tool than `toolVersion`.
    public static func read(from path: String, toolVersion: String) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(code: "invalid-plan", message: "cannot read the saved plan \(path)")
        }
        guard let json = try? JSON.parse(String(decoding: data, as: UTF8.self)), json["outboundctlPlan"] == .int(1),
            case .int(let revision)? = json["baseRevision"], let digest = json["digest"]?.stringValue,
            let document = json["document"]?.stringValue
        else {
            throw Problem(code: "invalid-plan", message: "\(path) is not a plan saved by `outboundctl plan --out`")
        }
        if let version = json["toolVersion"]?.stringValue, version != toolVersion {
            throw Problem(
                code: "stale-plan",
                message: "saved plan is stale: it was made by outboundctl \(version), this is \(toolVersion); run `outboundctl plan` again")
        }
        guard CanonicalForm.digest(of: document) == digest else {
            throw Problem(code: "invalid-plan", message: "\(path) was modified after it was saved (digest mismatch)")
        }
        return SavedPlan(base: PlanBase(storeId: json["storeId"]?.stringValue, revision: revision), digest: digest, document: document, plan: nil)
    }

    /// The configuration the plan carries, as a desired state to apply; `name` is where its
    /// diagnostics point (the plan file).
    public func desiredState(name: String, now: Date) throws -> DesiredState {
        let (desired, result) = DesiredState.loading(document: document, name: name, now: now)
        guard let desired else { throw Problem(code: "invalid-plan", message: "the configuration in \(name) is not valid", invalid: result) }
        return desired
    }
}

extension OutboundStore {
    /// Revision `revision`'s configuration as a desired state: what `rollback` applies. A
    /// snapshot that does not load as a valid configuration is a damaged store, never applied
    /// in part.
    public func desiredState(ofRevision revision: Int, now: Date) throws -> DesiredState {
        let (desired, result) = DesiredState.loading(document: try snapshot(revision: revision).document, name: "revision \(revision)", now: now)
        guard let desired else {
            let first = result.diagnostics.first { $0.severity == .error }.map { ": \($0.message)" } ?? ""
            throw StoreError.unreadable(location, "the snapshot of revision \(revision) is not a valid configuration\(first)")
        }
        return desired
    }
}

extension DesiredState {
    /// A canonical document (a snapshot, a saved plan's) as a desired state; nil, with the
    /// diagnostics, when it is not a valid configuration.
    static func loading(document: String, name: String, now: Date) -> (DesiredState?, LoadResult) {
        let result = ConfigurationLoader(now: now, readinessWarnings: false).load(documents: [(path: name, text: document)])
        return (result.isValid ? DesiredState(result.configuration, now: now) : nil, result)
    }
}
