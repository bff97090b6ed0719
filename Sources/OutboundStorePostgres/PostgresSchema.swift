import Foundation

/// The store's tables in its PostgreSQL schema, built by migrations that are never edited once
/// shipped: add a new one at the end. `migrations` lists those applied; a store that lists one
/// this build does not know was written by a newer outboundctl and is refused. The tables are
/// SQLite's at its current version (`StoreSchema` v4); ids are `COLLATE "C"`, byte order, which
/// the engine relies on for sorted lists. The view `outbound_availability` is the public
/// contract for other programs (docs/store.md).
enum PostgresSchema {
    struct Migration: Sendable {
        var identifier: String
        /// The statements, given the schema's quoted name.
        var statements: @Sendable (_ schema: String) -> [String]
    }

    static let migrations: [Migration] = [
        Migration(identifier: "v1") { s in
            [
                "CREATE TABLE \(s).meta (key text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)",
                """
                CREATE TABLE \(s).revisions (
                    number integer PRIMARY KEY,
                    time text NOT NULL,
                    author text NOT NULL,
                    message text NOT NULL,
                    digest text NOT NULL,
                    source_digest text NOT NULL,
                    canonical_version integer NOT NULL,
                    snapshot bytea NOT NULL,
                    snapshot_encoding text NOT NULL,
                    creates integer NOT NULL,
                    updates integer NOT NULL,
                    deletes integer NOT NULL
                )
                """,
                """
                CREATE TABLE \(s).entities (
                    kind text COLLATE "C" NOT NULL,
                    id text COLLATE "C" NOT NULL,
                    data text NOT NULL,
                    hash bigint NOT NULL,
                    revision integer NOT NULL,
                    sources text NOT NULL,
                    sources_hash bigint NOT NULL,
                    PRIMARY KEY (kind, id)
                )
                """,
                """
                CREATE TABLE \(s).availability (
                    agent_id text COLLATE "C" NOT NULL,
                    team_id text COLLATE "C" NOT NULL,
                    channel text COLLATE "C" NOT NULL,
                    reasons_before text NOT NULL,
                    reasons_after text NOT NULL,
                    valid_from bigint,
                    valid_until bigint,
                    revision integer NOT NULL,
                    PRIMARY KEY (agent_id, team_id, channel)
                )
                """,
                "CREATE INDEX availability_by_agent_channel ON \(s).availability (agent_id, channel)",
                """
                CREATE TABLE \(s).availability_removals (
                    revision integer NOT NULL,
                    agent_id text COLLATE "C" NOT NULL,
                    team_id text COLLATE "C" NOT NULL,
                    channel text COLLATE "C" NOT NULL,
                    PRIMARY KEY (revision, agent_id, team_id, channel)
                )
                """,
                availabilityView(s),
            ]
        },
        // As SQLite's v4: each new revision's cells found through `revision` (`cellsWritten`).
        Migration(identifier: "v2") { s in
            ["CREATE INDEX availability_by_revision ON \(s).availability (revision)"]
        },
    ]

    /// The public view, judged at the time of the query as on SQLite: check 4's reason comes
    /// from the licence window and `now()`, and `until` is the next window boundary ahead
    /// (`YYYY-MM-DDTHH:MM:SSZ`). PostgreSQL inlines the subqueries, so a lookup by agent and
    /// channel uses `availability_by_agent_channel`.
    static func availabilityView(_ s: String) -> String {
        func instant(_ column: String) -> String {
            "to_char(to_timestamp(\(column)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        }
        return """
            CREATE VIEW \(s).outbound_availability AS
            SELECT agent_id, team_id, channel,
                   CASE WHEN reasons_before = '' AND licence = '' AND reasons_after = '' THEN 1 ELSE 0 END AS available,
                   concat_ws(',', NULLIF(reasons_before, ''), NULLIF(licence, ''), NULLIF(reasons_after, '')) AS reasons,
                   revision,
                   CASE WHEN valid_from IS NOT NULL AND now_s < valid_from THEN \(instant("valid_from"))
                        WHEN valid_until IS NOT NULL AND now_s < valid_until THEN \(instant("valid_until")) END AS until
            FROM (SELECT agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until, revision, now_s,
                         CASE WHEN valid_from IS NOT NULL AND now_s < valid_from THEN 'licence-not-yet-valid'
                              WHEN valid_until IS NOT NULL AND now_s >= valid_until THEN 'licence-expired'
                              ELSE '' END AS licence
                  FROM (SELECT *, floor(extract(epoch FROM now()))::bigint AS now_s FROM \(s).availability) AS judged) AS answered
            """
    }

    /// The schema's name as an SQL identifier (the id pattern allows '-' and '.', which need quotes).
    static func quoted(_ schema: String) -> String {
        "\"\(schema)\""
    }
}
