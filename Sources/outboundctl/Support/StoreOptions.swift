import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

/// `--store PATH`, else `$OUTBOUNDCTL_STORE`, else `./outbound.sqlite`; and the mapping of store
/// failures to exit codes (3 for store errors, 1 for refusals).
struct StoreOptions: ParsableArguments {
    @Option(help: "The store file (default: $OUTBOUNDCTL_STORE, else ./outbound.sqlite).")
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["OUTBOUNDCTL_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./outbound.sqlite"
    }

    /// Runs `body` with the existing store (read commands: a missing store is exit 3).
    func withExistingStore<T>(_ body: (OutboundStore) throws -> T) throws -> T {
        try storeErrorsExit { try body(OutboundStore.openExisting(path: path)) }
    }

    /// Runs `body` with the store, creating it if needed (apply, rollback).
    func withStore<T>(_ body: (OutboundStore) throws -> T) throws -> T {
        try storeErrorsExit { try body(OutboundStore.open(path: path)) }
    }

    /// The store's current plan base, or an empty one when there is no store yet (`plan`
    /// against a missing store plans from nothing and creates nothing).
    func planIfExists(to desired: DesiredState) throws -> (Plan, PlanBase) {
        guard FileManager.default.fileExists(atPath: path) else {
            return (desired.plan(from: nil, baseRevision: 0), PlanBase(storeId: nil, revision: 0))
        }
        return try withExistingStore { store in
            let plan = try store.plan(to: desired)
            return (plan, PlanBase(storeId: try store.identity(), revision: plan.baseRevision ?? 0))
        }
    }
}

/// Prints a store failure and exits with its code.
func storeErrorsExit<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        printError("error: \(error)")
        throw ExitCode(error.isRefusal ? 1 : 3)
    }
}
