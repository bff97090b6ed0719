import Foundation
import GRDB
import GRDBSQLite

/// How a reader opens the store without writing to it.
///
/// A WAL database opened read-only needs its `-wal` and `-shm` files to exist (SQLite then
/// shares read-only memory with the writer). Writers keep both (`PersistentWAL`), so this is the
/// normal case. A store last closed by an older outboundctl has neither; a reader allowed to
/// create them does so, and one that may not (another Unix user, a read-only mount) opens the
/// file as immutable: with no `-wal` file no apply is under way, and SQLite then reads the
/// main file alone, without locks.
enum ReadOnlyOpening {
    static func open(path: String, configuration: GRDB.Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
            guard !FileManager.default.fileExists(atPath: path + "-wal") else { throw error }
            let queue = try DatabaseQueue(path: immutableURI(path), configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        }
    }

    /// `file:` URI of `path` with `immutable=1` (the system SQLite accepts URIs).
    private static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:\(absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute)?immutable=1"
    }
}

/// Keeps the `-wal` and `-shm` files when a writer's connection closes (SQLITE_FCNTL_PERSIST_WAL),
/// so readers without write permission find them (see `ReadOnlyOpening`).
enum PersistentWAL {
    static func enable(_ db: Database) {
        var on: Int32 = 1
        _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }
}
