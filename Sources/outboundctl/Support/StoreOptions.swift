import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

/// `--store PATH|URL`, else `$OUTBOUNDCTL_STORE`, else `./outbound.sqlite` (a PostgreSQL URL
/// names a PostgreSQL store, `StoreLocation`); and the mapping of store failures to exit codes
/// (3 for store errors, 1 for refusals).
struct StoreOptions: ParsableArguments {
    @Option(
        help: "The store: a SQLite file, or postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME] (default: $OUTBOUNDCTL_STORE, else ./outbound.sqlite)."
    )
    var store: String?

    /// What was named, as given (it may hold a password: never print it; print `location.display`).
    private var named: String {
        store ?? ProcessInfo.processInfo.environment["OUTBOUNDCTL_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./outbound.sqlite"
    }

    func location() throws -> StoreLocation {
        try StoreLocation(named)
    }

    /// Runs `body` with the existing store opened read-only (read commands: a missing store
    /// is exit 3; an older schema is read as it is, with a warning).
    func reading<T>(_ body: (OutboundStore) throws -> T) throws -> T {
        let location = try location()
        return try storeErrorsExit { try body(Self.openForReading(location)) }
    }

    /// The existing store, read-only, with a warning when its schema is older.
    private static func openForReading(_ location: StoreLocation) throws -> OutboundStore {
        let store = try location.openForReading()
        if !store.isCurrentSchema {
            printError("warning: \(location.olderSchema) to bring it up to date")
        }
        return store
    }

    /// Runs `body` with the store opened for writing, created and migrated if needed (`apply`);
    /// another apply is waited for at most `lockTimeout` seconds.
    func writing<T>(lockTimeout: Double = OutboundStore.defaultLockTimeout, _ body: (OutboundStore) throws -> T) throws -> T {
        let location = try location()
        return try storeErrorsExit { try body(location.open(lockTimeout: lockTimeout)) }
    }

    /// The same for commands that need a store to exist already (`rollback`, `store migrate`).
    func writingExisting<T>(lockTimeout: Double = OutboundStore.defaultLockTimeout, _ body: (OutboundStore) throws -> T) throws -> T {
        let location = try location()
        return try storeErrorsExit {
            _ = try location.openForReading()
            return try body(location.open(lockTimeout: lockTimeout))
        }
    }

    /// The store's current plan base, or an empty one when there is no store yet (`plan`
    /// against a missing store plans from nothing and creates nothing).
    func planIfExists(to desired: DesiredState) throws -> (Plan, PlanBase) {
        let location = try location()
        return try storeErrorsExit {
            let store: OutboundStore
            do {
                store = try Self.openForReading(location)
            } catch StoreError.missing {
                return (desired.plan(from: nil, baseRevision: 0), PlanBase(storeId: nil, revision: 0))
            }
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
