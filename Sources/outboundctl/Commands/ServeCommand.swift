import ArgumentParser
import Foundation
import OutboundConfig
import OutboundGateServer
import OutboundStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the gate over HTTP for agent desktop back ends, and the support console at / (docs/serve.md, docs/console.md).",
        discussion: HelpText.discussion(
            [
                "Answers from the store's current revision, held in memory; a revision applied by any process is served within a second. The store is only read.",
                "The API is under /v1 (schemas/openapi.json, also at /openapi.json); the support console's pages are at / and ask for a token once when --token-file is given.",
                "Listening beyond loopback needs --token-file. One JSON line per request on standard error. SIGHUP re-reads the token file; SIGTERM or SIGINT stops after the requests in flight.",
            ],
            exits: [
                (0, "stopped by SIGTERM or SIGINT"), (1, "the server could not listen (the port is taken) or stopped on an error"),
                HelpText.storeError, (64, "usage error, a non-loopback --listen without --token-file, or a bad token file"),
            ],
            examples: ["outboundctl serve", "outboundctl serve --listen 0.0.0.0:8470 --token-file /etc/outboundctl/tokens"])
    )

    @Option(help: "HOST:PORT to listen on (port 0: any free port, named in the 'listening' line).")
    var listen: String = "127.0.0.1:8470"

    @Option(help: "Bearer tokens, one per line; 'TOKEN scope=check' limits one to the checks.")
    var tokenFile: String?

    @Option(help: "Seconds to keep answering from the last good revision while the store cannot be read.")
    var maxStale: Int = 300

    @Option(
        help:
            "Store reads at once for explain, change feeds older than memory holds, and console pages; on PostgreSQL also the connections they hold."
    )
    var storeReads: Int = GateServer.Options.defaultStoreReads

    @Option(help: "Requests waiting for a store read; past this many, 503 with Retry-After.")
    var storeReadQueue: Int = GateServer.Options.defaultStoreReadQueue

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var options = try Self.address(listen)
        guard options.isLoopback || tokenFile != nil else {
            throw CommandFailure(
                "usage", "--listen \(listen) is not a loopback address: pass --token-file so that only holders of a token can ask", status: 64)
        }
        guard maxStale >= 0 else { throw CommandFailure("usage", "--max-stale must be 0 or more seconds", status: 64) }
        guard storeReads >= 1 else { throw CommandFailure("usage", "--store-reads must be 1 or more", status: 64) }
        guard storeReadQueue >= 0 else { throw CommandFailure("usage", "--store-read-queue must be 0 or more", status: 64) }
        options.storeReads = storeReads
        options.storeReadQueue = storeReadQueue
        options.tokenFile = tokenFile
        options.maxStale = TimeInterval(maxStale)
        let location = try store.location()
        let server: GateServer
        do {
            server = try storeErrorsExit {
                let open = location.reader(readConnections: storeReads)
                guard try open().isCurrentSchema else { throw location.olderSchemaRefused }
                return try GateServer(options: options, open: open)
            }
        } catch let error as TokenFileError {
            throw CommandFailure("token-file", error.description, status: 64)
        }
        do {
            try await server.run()
        } catch {
            // Not a store error (those are served around, §6): the port taken, the address wrong.
            throw CommandFailure("serve-failed", "the server stopped: \(error)", status: 1)
        }
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback).
    static func address(_ text: String) throws -> GateServer.Options {
        let bad = CommandFailure("usage", "--listen \(text): expected HOST:PORT, e.g. 127.0.0.1:8470", status: 64)
        guard let colon = text.lastIndex(of: ":") else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port), !host.contains(" ") else { throw bad }
        return GateServer.Options(host: host, port: port)
    }
}
