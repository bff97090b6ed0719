import ArgumentParser
import Foundation
import Hummingbird

/// `outboundctl-bench bare-route`: the baseline of the serve benchmark (scripts/bench-serve.sh).
/// A Hummingbird server whose one route answers every `GET /v1/agents/{agent}/outbound` with
/// the same fixed JSON — what the framework costs alone, with no gate, no store and no log —
/// so `serve`'s rate and latency are read as ratios to it, measured in the same run.
struct BareRoute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-route", abstract: "Serve a fixed JSON body on /v1/agents/{agent}/outbound (the serve benchmark's baseline).")

    @Option(help: "The port on 127.0.0.1 to listen on.")
    var port = 8471

    @Option(help: "A file holding the body to answer with (e.g. one answer of serve, for the same size).")
    var body: String

    func run() async throws {
        guard let bytes = FileManager.default.contents(atPath: body) else { throw ValidationError("cannot read \(body)") }
        let fixed = ByteBuffer(bytes: bytes)
        let router = Router()
        router.get("/v1/agents/:agent/outbound") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: fixed))
        }
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in FileHandle.standardOutput.write(Data("listening\n".utf8)) })
        try await application.runService()
    }
}
