import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore
import OutboundStoreSQLite

/// `--store PATH`, else `$OUTBOUNDCTL_STORE`, else `./outbound.sqlite`; and the mapping of store
/// failures to exit codes (3 for store errors, 1 for refusals).
struct StoreOptions: ParsableArguments {
    @Option(help: "The store file (default: $OUTBOUNDCTL_STORE, else ./outbound.sqlite).")
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["OUTBOUNDCTL_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./outbound.sqlite"
    }

    /// Runs `body` with the existing store opened read-only (read commands: a missing store
    /// is exit 3; an older schema is read as it is, with a warning).
    func reading<T>(_ body: (OutboundStore) throws -> T) throws -> T {
        try storeErrorsExit {
            let store = try OutboundStore.sqliteForReading(path: path)
            if !store.isCurrentSchema {
                printError("warning: the store at \(path) was written by an older outboundctl; run `outboundctl store migrate --store \(ShellWord.quoted(path))` to bring it up to date")
            }
            return try body(store)
        }
    }

    /// Runs `body` with the store opened for writing, created and migrated if needed (`apply`);
    /// another apply is waited for at most `lockTimeout` seconds.
    func writing<T>(lockTimeout: Double = OutboundStore.defaultLockTimeout, _ body: (OutboundStore) throws -> T) throws -> T {
        try storeErrorsExit { try body(OutboundStore.sqlite(path: path, lockTimeout: lockTimeout)) }
    }

    /// The same for commands that need a store to exist already (`rollback`, `store migrate`).
    func writingExisting<T>(lockTimeout: Double = OutboundStore.defaultLockTimeout, _ body: (OutboundStore) throws -> T) throws -> T {
        try storeErrorsExit {
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path) }
            return try body(OutboundStore.sqlite(path: path, lockTimeout: lockTimeout))
        }
    }

    /// The store's current plan base, or an empty one when there is no store yet (`plan`
    /// against a missing store plans from nothing and creates nothing).
    func planIfExists(to desired: DesiredState) throws -> (Plan, PlanBase) {
        guard FileManager.default.fileExists(atPath: path) else {
            return (desired.plan(from: nil, baseRevision: 0), PlanBase(storeId: nil, revision: 0))
        }
        return try reading { store in
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
        throw CommandFailure(error)
    }
}
