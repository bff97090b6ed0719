import Foundation
import Logging
import PostgresNIO

/// The backend's connections to one server for the blocking engine: one per transaction in
/// flight, kept for the next one when it ends cleanly (a CLI command uses one; `serve`'s loader
/// one look at a time, while its request reads await `PostgresReadPool`). The blocking API runs
/// on Dispatch threads (`OutboundStore.perform` moves async callers there), so each call waits
/// here for its NIO future; the cooperative pool is never blocked.
final class PostgresConnections: @unchecked Sendable {
    let url: PostgresURL
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextId = 0
    /// At most this many connections wait idle; more are closed when done.
    private static let idleLimit = 4

    /// PostgresNIO logs nothing we want on a command's output: failures reach the user as
    /// `StoreError`s, which name the store.
    static let logger = Logger(label: "outboundctl.postgres") { _ in SwiftLogNoOpLogHandler() }

    init(url: PostgresURL) {
        self.url = url
    }

    deinit {
        for connection in idle { Self.close(connection) }
    }

    /// Closes `connection` and waits for it (PostgresNIO wants a connection closed before it
    /// goes; no store call runs on an event loop, where waiting is not allowed).
    static func close(_ connection: PostgresConnection) {
        _ = try? connection.close().wait()
    }

    /// Runs `body` on a connection of its own; the connection is kept only when `body`
    /// succeeded and it is still open.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try take()
        do {
            let result = try body(connection)
            give(connection)
            return result
        } catch {
            Self.close(connection)
            throw error
        }
    }

    private func take() throws -> PostgresConnection {
        lock.lock()
        while let connection = idle.popLast() {
            if !connection.isClosed {
                lock.unlock()
                return connection
            }
        }
        nextId += 1
        let id = nextId
        lock.unlock()
        return try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try configuration(),
            id: id, logger: Self.logger
        ).wait()
    }

    private func give(_ connection: PostgresConnection) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < Self.idleLimit, !connection.isClosed {
            idle.append(connection)
        } else {
            Self.close(connection)
        }
    }

    /// The connection of `revisionChanges`, for `async` code, not pooled: it LISTENs and looks
    /// at the revision, and says so in `pg_stat_activity` (`outboundctl-listen`).
    func connectListener() async throws -> PostgresConnection {
        var configuration = try configuration()
        configuration.options.additionalStartupParameters = [("application_name", "outboundctl-listen")]
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: Self.logger)
    }

    /// How to reach the server, from the URL.
    func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let directory = url.socketDirectory {
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(url.port)", username: url.user, password: url.password,
                database: url.database)
        } else {
            configuration = .init(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
                tls: try Self.tls(url).map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
            configuration.options.tlsServerName = url.sslMode == .verifyFull ? url.host : nil
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    /// So a database administrator sees whose connections these are (pg_stat_activity).
    static let startupParameters = [("application_name", "outboundctl")]

    /// The TLS `url.sslMode` asks for; nil for none.
    static func tls(_ url: PostgresURL) -> TLSConfiguration? {
        var client = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable:
            return nil
        case .require:
            client.certificateVerification = .none
        case .verifyFull:
            client.certificateVerification = .fullVerification
            if let root = url.sslRootCertificate { client.trustRoots = .file(root) }
        }
        return client
    }
}

extension PostgresConnection {
    /// Runs `sql` and collects its rows, waiting on this (non-NIO) thread.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> [PostgresRow] {
        try result(of: query).rows
    }

    /// Runs `query` and waits for its result, or for the connection's end: a query sent as
    /// the server goes away (`pg_ctl stop -m immediate`) was seen never to complete.
    func result(of query: PostgresQuery) throws -> PostgresQueryResult {
        let promise = eventLoop.makePromise(of: PostgresQueryResult.self)
        let settled = Settled()
        self.query(query, logger: PostgresConnections.logger).whenComplete { result in
            if settled.first() { promise.completeWith(result) }
        }
        closeFuture.whenComplete { _ in
            if settled.first() { promise.fail(ConnectionLost()) }
        }
        return try promise.futureResult.wait()
    }
}

/// The connection ended before a query's answer.
struct ConnectionLost: Error {}
