import Dispatch
import Foundation
import Hummingbird
import Logging
import OutboundConfig
import OutboundStore
import ServiceLifecycle

/// `outboundctl serve`: the gate over HTTP for agent desktop back ends (SPEC §6). The store
/// is only read; the current revision's gate is held in memory and swapped when a new one
/// lands.
public struct GateServer: Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var tokenFile: String?
        public var maxStale: TimeInterval
        /// Store reads of requests (explain, an older change feed, console pages) at once;
        /// on PostgreSQL also the connections they hold (`StoreReads`).
        public var storeReads: Int
        /// Requests waiting for a store read, past which they are answered 503.
        public var storeReadQueue: Int

        public static let defaultStoreReads = 4
        public static let defaultStoreReadQueue = 64

        public init(
            host: String = "127.0.0.1", port: Int = 8470, tokenFile: String? = nil, maxStale: TimeInterval = 300,
            storeReads: Int = defaultStoreReads, storeReadQueue: Int = defaultStoreReadQueue
        ) {
            self.host = host
            self.port = port
            self.tokenFile = tokenFile
            self.maxStale = maxStale
            self.storeReads = storeReads
            self.storeReadQueue = storeReadQueue
        }

        /// Loopback addresses, the only ones served without tokens: `localhost`, `::1`, or a
        /// numeric IPv4 address in 127.0.0.0/8 — not any name that merely starts with "127.".
        public var isLoopback: Bool {
            if host == "localhost" || host == "::1" { return true }
            var address = in_addr()
            return inet_pton(AF_INET, host, &address) == 1 && UInt32(bigEndian: address.s_addr) >> 24 == 127
        }
    }

    let options: Options
    let open: @Sendable () throws -> OutboundStore
    let first: GateSnapshot
    let tokens: TokenFile?
    /// The store opened at start when its reads are async (PostgreSQL): requests read it as
    /// it is, and its pool runs for as long as the server does (`run`; a test that drives
    /// `parts()` in process without `run` must use a SQLite store).
    let asyncStore: OutboundStore?

    /// Reads the token file and the store's current revision: a missing or unreadable store
    /// is thrown here, before anything listens.
    public init(options: Options, open: @escaping @Sendable () throws -> OutboundStore) throws {
        self.options = options
        self.open = open
        tokens = try options.tokenFile.map(TokenFile.init(path:))
        let store = try open()
        asyncStore = store.backend.asyncReads == nil ? nil : store
        first = GateSnapshot(whole: try store.servedChanges(from: nil, limit: 0)!)
        // What the load read is gone now that the snapshot holds it compactly.
        FreedMemory.release()
    }

    /// The parts that answer requests, over the first revision: the state the loader swaps
    /// revisions into, and the responder. `serve` runs them; tests drive the responder in
    /// process (HummingbirdTesting).
    struct Parts {
        let state: GateState
        let metrics: GateMetrics
        let log: AccessLog
        let tokens: TokenHolder
        let responder: GateResponder
    }

    func parts(write: (@Sendable (Data) -> Void)? = nil) -> Parts {
        let metrics = GateMetrics()
        let log = write.map { AccessLog(onDrop: { metrics.logLinesDropped($0) }, write: $0) } ?? AccessLog(onDrop: { metrics.logLinesDropped($0) })
        let state = GateState(first)
        metrics.revisionLoaded(first)
        let tokens = TokenHolder(tokens)
        let reads = StoreReads(
            open: open, kept: asyncStore, concurrent: options.storeReads, queueLimit: options.storeReadQueue,
            report: { metrics.storeReads(running: $0, waiting: $1) })
        let console = Console(state: state, tokens: tokens, reads: reads, trustsForwardedProto: options.isLoopback)
        let api = GateAPI(
            state: state, metrics: metrics, reads: reads, maxStale: options.maxStale, longPolls: LongPollLimit(report: metrics.longPollsHeld))
        return Parts(
            state: state, metrics: metrics, log: log, tokens: tokens,
            responder: GateResponder(record: RequestRecord(state: state, metrics: metrics, log: log), tokens: tokens, api: api, console: console))
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight (at most 10 s).
    public func run() async throws {
        signal(SIGPIPE, SIG_IGN)  // a reader of standard error going away must not end the server
        Self.raiseOpenFileLimit()
        let parts = parts()
        let (metrics, log, state) = (parts.metrics, parts.log, parts.state)
        defer { log.flush() }
        let logger = Logger(label: "outboundctl.serve") { _ in JSONLogHandler(log: log) }
        let hangUp = reloadTokensOnHangUp(parts.tokens, logger: logger)
        defer { hangUp?.cancel() }
        let loader = RevisionLoader(open: open, state: state, metrics: metrics, logger: logger)
        let application = Application(
            responder: parts.responder,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil, backlog: Self.backlog),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                logger.info("listening", metadata: ["url": "http://\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(port)"])
            },
            logger: logger)
        // Shut down in reverse order: the read pool last, after the requests in flight.
        let pool = asyncStore?.backend.asyncReads.map { ServiceGroupConfiguration.ServiceConfiguration(service: StoreReadPool(reads: $0)) }
        var configuration = ServiceGroupConfiguration(
            services: (pool.map { [$0] } ?? []) + [.init(service: application), .init(service: loader)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Connections the kernel completes before the server accepts them (capped by the kernel's
    /// `somaxconn`). Hummingbird's 256 overflows when a thousand long-poll clients connect at
    /// once (after a restart): the handshakes beyond it are dropped and retried after 1, 3, 7 s…,
    /// so a request then waits seconds for nothing.
    static let backlog = 4_096

    /// 1,000 held long-polls, their clients and the store need more descriptors than Debian's
    /// default soft limit of 1,024: take what the hard limit allows (at most 65,536).
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = min(limit.rlim_max, 65_536)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    private func reloadTokensOnHangUp(_ holder: TokenHolder, logger: Logger) -> DispatchSourceSignal? {
        guard let path = options.tokenFile else { return nil }
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                holder.replace(try TokenFile(path: path))
                logger.info("token file reloaded")
            } catch {
                logger.error("token file not reloaded; the previous tokens stay in force", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
        return source
    }
}

/// The store's async read pool as a service of the server's group.
private struct StoreReadPool: Service {
    let reads: any AsyncStoreReads

    func run() async throws {
        await reads.run()
    }
}

/// swift-log lines as JSON lines through the access log's writer, so standard error holds
/// only JSON lines.
struct JSONLogHandler: LogHandler {
    let log: AccessLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, JSON)] = [
            ("time", .string(LicenceWindow.text(Date()))), ("level", .string(event.level.rawValue)),
            ("message", .string("\(event.message)")),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            fields.append((key, .string("\(value)")))
        }
        log.record(fields)
    }
}
