import Foundation
import OutboundConfig
import OutboundStore
import PostgresNIO

/// `serve`'s store reads on request paths: postgres-nio's `PostgresClient`, whose pool opens at
/// most `connections` connections (on demand; one idle a minute is closed) and queues the reads
/// beyond them. A read awaits its answers and holds no thread while the server works, so a
/// slow store or a burst of requests costs connections up to the bound and queued tasks,
/// never threads. The pool answers only while `run()` runs (`serve` runs it as a service).
final class PostgresReadPool: AsyncStoreReads {
    private let client: PostgresClient
    private let url: PostgresURL
    private let reads: PostgresReads
    /// For a direct connection that says why the pool has none (`diagnosis`).
    private let connections: PostgresConnections

    /// How long a read waits for a connection: a server that is down is not retried by the
    /// pool's own rule for a minute, and a request should hear 503 sooner (it is the connect
    /// timeout of the blocking reads too).
    static let connectionDeadline: Duration = .seconds(10)

    init(url: PostgresURL, reads: PostgresReads, connections: PostgresConnections, size: Int) throws {
        self.url = url
        self.reads = reads
        self.connections = connections
        var configuration: PostgresClient.Configuration
        if let directory = url.socketDirectory {
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(url.port)", username: url.user, password: url.password, database: url.database)
        } else {
            configuration = .init(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
                tls: PostgresConnections.tls(url).map { .require($0) } ?? .disable)
            configuration.options.tlsServerName = url.sslMode == .verifyFull ? url.host : nil
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = PostgresConnections.startupParameters
        configuration.options.maximumConnections = size
        client = PostgresClient(configuration: configuration, backgroundLogger: PostgresConnections.logger)
    }

    func run() async {
        await client.run()
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any AsyncStoreSession) async throws -> T) async throws -> T {
        do {
            return try await withConnection { [reads] connection in
                let logger = PostgresConnections.logger
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let result = try await body(PostgresAsyncSession(connection: connection, reads: reads))
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    // A connection whose transaction may still be open must not serve another
                    // read (it would see this one's snapshot): closed, the pool replaces it.
                    do {
                        try await connection.query("ROLLBACK", logger: logger)
                    } catch {
                        try? await connection.close()
                    }
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as PSQLError {
            throw PostgresErrors.storeError(error, url)
        } catch let error as PostgresDecodingError {
            throw PostgresErrors.storeError(error, url)
        } catch {
            // No connection in time, or the pool gave up connecting for now (its circuit
            // breaker, after a minute of failures): the pool keeps its failures to itself.
            throw await diagnosis()
        }
    }

    /// Why the pool has no connection, from one made directly: the server's refusal (a wrong
    /// password, a missing database, no connection slot left) or the network's.
    private func diagnosis() async -> StoreError {
        let noConnection = "no connection to the server within \(Self.connectionDeadline.components.seconds) s"
        do {
            var configuration = try connections.configuration()
            configuration.options.connectTimeout = .seconds(2)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: PostgresConnections.logger)
            try? await connection.close()
            return .unreadable(url.location, noConnection + ", though it accepts one now; retry")
        } catch {
            let cause = PostgresErrors.storeError(error, url)
            guard case .unreadable(_, let message) = cause else { return cause }
            return .unreadable(url.location, "\(noConnection): \(message)")
        }
    }

    /// `body` on a connection of the pool, if one is leased within `connectionDeadline`.
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        // Whichever comes first, the connection or the deadline, decides; the other does nothing.
        let lease = Settled()
        return try await withThrowingTaskGroup(of: T?.self) { [client] group in
            group.addTask {
                try await client.withConnection { connection in
                    guard lease.first() else { throw NoConnectionInTime() }
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: Self.connectionDeadline)
                if lease.first() { throw NoConnectionInTime() }
                return nil
            }
            defer { group.cancelAll() }
            while let answer = try await group.next() {
                if let answer { return answer }
            }
            throw NoConnectionInTime()
        }
    }
}

private struct NoConnectionInTime: Error {}

/// One read transaction on a leased connection, awaiting each answer.
struct PostgresAsyncSession: AsyncStoreSession {
    let connection: PostgresConnection
    let reads: PostgresReads

    /// Answers of more rows than this are decoded on a Dispatch thread: the console's overview
    /// reads every cell (100,000 rows take about 0.1 s to decode), which would hold one of the
    /// cooperative pool's threads (one per core) from every other request meanwhile.
    static let rowsDecodedInPlace = 1_000

    private func run<Value>(_ read: PostgresRead<Value>) async throws -> Value {
        let rows = try await connection.query(read.query, logger: PostgresConnections.logger).collect()
        guard rows.count > Self.rowsDecodedInPlace else { return try read.decode(rows) }
        return try await BlockingWork.run { try read.decode(rows) }
    }

    func currentRevision() async throws -> Int { try await run(reads.currentRevision()) }
    func revisions(after number: Int) async throws -> [RevisionInfo] { try await run(reads.revisions(after: number)) }
    func entities(keys: [CanonicalForm.Key]) async throws -> [CanonicalForm.Key: StoredEntity] { try await run(reads.entities(keys: keys)) }
    func entities(kinds: [String]?) async throws -> [CanonicalForm.Key: StoredEntity] { try await run(reads.entities(kinds: kinds)) }
    func ids(kind: String) async throws -> [String] { try await run(reads.ids(kind: kind)) }
    func activeCells(site: String?) async throws -> [(AvailabilityKey, AvailabilityCell)] { try await run(reads.activeCells(site: site)) }

    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) async throws -> [ChangeFeed.Written] {
        try await run(reads.changedCells(since: revision, after: cursor, limit: limit))
    }

    func removedCells(since revision: Int, after cursor: ChangeFeed.RemovalPosition?, limit: Int) async throws -> [ChangeFeed.Removed] {
        try await run(reads.removedCells(since: revision, after: cursor, limit: limit))
    }
}
