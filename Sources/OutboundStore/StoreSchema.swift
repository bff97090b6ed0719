import Foundation
import GRDB

/// The store's schema, built by migrations that are never edited once shipped: add a new one.
/// The view `outbound_availability` is the public contract for other programs (docs/store.md).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE revisions (
                    number INTEGER PRIMARY KEY NOT NULL,
                    time TEXT NOT NULL,
                    author TEXT NOT NULL,
                    message TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    source_digest TEXT NOT NULL,
                    canonical_version INTEGER NOT NULL,
                    evaluated_on TEXT NOT NULL,
                    snapshot TEXT NOT NULL,
                    creates INTEGER NOT NULL,
                    updates INTEGER NOT NULL,
                    deletes INTEGER NOT NULL
                );
                CREATE TABLE entities (
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    data TEXT NOT NULL,
                    hash INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    PRIMARY KEY (kind, id)
                ) WITHOUT ROWID;
                CREATE TABLE availability (
                    agent_id TEXT NOT NULL,
                    team_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    available INTEGER NOT NULL,
                    reasons TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    PRIMARY KEY (agent_id, team_id, channel)
                ) WITHOUT ROWID;
                CREATE INDEX availability_by_agent_channel ON availability (agent_id, channel);
                CREATE VIEW outbound_availability AS
                    SELECT agent_id, team_id, channel, available, reasons, revision FROM availability;
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('store_id', ?)", arguments: [UUID().uuidString.lowercased()])
        }
        // Snapshots from here on are deflated (`SnapshotCompression`); a tool that only knows
        // v1 would read them as text, so it refuses the store as newer.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE revisions ADD COLUMN snapshot_encoding TEXT NOT NULL DEFAULT 'text'")
        }
        return migrator
    }
}
