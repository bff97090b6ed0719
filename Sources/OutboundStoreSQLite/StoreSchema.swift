import Foundation
import GRDB
import OutboundConfig
import OutboundStore

/// The store's schema, built by migrations that are never edited once shipped: add a new one.
/// The view `outbound_availability` is the public contract for other programs (docs/store.md).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
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
        // Availability right on every day (docs/store.md): rows keep the date-independent
        // reasons around check 4 and the licence window as UTC instants; the view judges the
        // window at the time of the query and says until when its answer holds. The rows are
        // recomputed from the current entities; each keeps the revision that last changed it.
        // What each revision changed is then `availability.revision`, and what it removed
        // `availability_removals`: the change feed (/v1/changes); `revision` is indexed by v4.
        migrator.registerMigration("v3") { db in
            var revisions: [AvailabilityKey: Int] = [:]
            let old = try Row.fetchCursor(db, sql: "SELECT agent_id, team_id, channel, revision FROM availability")
            while let row = try old.next() {
                guard let channel = Channel(rawValue: row[2]) else { continue }
                revisions[AvailabilityKey(agent: row[0], team: row[1], channel: channel)] = row[3]
            }
            let current = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM revisions") ?? 0
            try db.execute(
                sql: """
                    DROP VIEW outbound_availability;
                    DROP TABLE availability;
                    CREATE TABLE availability (
                        agent_id TEXT NOT NULL,
                        team_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        reasons_before TEXT NOT NULL,
                        reasons_after TEXT NOT NULL,
                        valid_from INTEGER,
                        valid_until INTEGER,
                        revision INTEGER NOT NULL,
                        PRIMARY KEY (agent_id, team_id, channel)
                    ) WITHOUT ROWID;
                    CREATE INDEX availability_by_agent_channel ON availability (agent_id, channel);
                    CREATE TABLE availability_removals (
                        revision INTEGER NOT NULL,
                        agent_id TEXT NOT NULL,
                        team_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        PRIMARY KEY (revision, agent_id, team_id, channel)
                    ) WITHOUT ROWID;
                    """)
            try db.execute(sql: availabilityView)
            // Where each entity's nodes stood in the files of the current revision
            // (`EntitySources`); empty for stores written before they were kept.
            try db.execute(
                sql: """
                    ALTER TABLE entities ADD COLUMN sources TEXT NOT NULL DEFAULT '';
                    ALTER TABLE entities ADD COLUMN sources_hash INTEGER NOT NULL DEFAULT 0;
                    """)
            var entities: [CanonicalForm.Key: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, id, data FROM entities") {
                entities[CanonicalForm.Key(kind: row[0], id: row[1])] = row[2]
            }
            guard !entities.isEmpty else { return }
            let configuration = CanonicalForm.configuration(from: entities, name: "store revision \(current)")
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO availability (agent_id, team_id, channel, \(StoredCellColumns.list), revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (key, cell) in OutboundGate.dateIndependent(configuration).availabilityCells() {
                try insert.execute(arguments: [
                    key.agent, key.team, key.channel.rawValue, StoredCellEncoding.text(cell.before),
                    StoredCellEncoding.text(cell.after), cell.window.from.map(StoredCellEncoding.seconds),
                    cell.window.until.map(StoredCellEncoding.seconds), revisions[key] ?? current,
                ])
            }
        }
        // Serving replicas read each new revision's cells by `revision` (`cellsWritten`):
        // without an index that was a pass over every row per revision per replica (14 ms of
        // PostgreSQL's CPU for 100,000 rows, each time); the index costs a first apply about a
        // tenth more (docs/performance.md).
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "CREATE INDEX availability_by_revision ON availability (revision)")
        }
        return migrator
    }

    /// The public view (docs/store.md, docs/reference.md §6), judged at the time of the query:
    /// check 4's reason comes from the licence window and `'now'`, and `until` is the next
    /// window boundary ahead. A flattenable subquery, so a lookup by agent and channel still
    /// uses the index `availability_by_agent_channel`.
    static let availabilityView = """
        CREATE VIEW outbound_availability AS
        SELECT agent_id, team_id, channel,
               CASE WHEN reasons_before = '' AND licence = '' AND reasons_after = '' THEN 1 ELSE 0 END AS available,
               reasons_before
                 || CASE WHEN reasons_before <> '' AND licence <> '' THEN ',' ELSE '' END || licence
                 || CASE WHEN (reasons_before <> '' OR licence <> '') AND reasons_after <> '' THEN ',' ELSE '' END || reasons_after
                 AS reasons,
               revision,
               CASE WHEN valid_from IS NOT NULL AND now < valid_from THEN strftime('%Y-%m-%dT%H:%M:%SZ', valid_from, 'unixepoch')
                    WHEN valid_until IS NOT NULL AND now < valid_until THEN strftime('%Y-%m-%dT%H:%M:%SZ', valid_until, 'unixepoch') END AS until
        FROM (SELECT agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until, revision, now,
                     CASE WHEN valid_from IS NOT NULL AND now < valid_from THEN 'licence-not-yet-valid'
                          WHEN valid_until IS NOT NULL AND now >= valid_until THEN 'licence-expired'
                          ELSE '' END AS licence
              FROM (SELECT *, CAST(strftime('%s', 'now') AS INTEGER) AS now FROM availability))
        """
}
