import ArgumentParser
import Foundation
import OutboundWebex

/// The flags every `webex` command connects with (SPEC §10 "Connection"). The token has no
/// flag of its own: a value on the command line is in every process list of the machine.
struct WebexConnectionOptions: ParsableArguments {
    @Option(help: "The organisation id (default: WEBEX_ORG).")
    var org: String?

    @Option(help: "The API's base URL (default: WEBEX_API, else --region's). Plain http:// only to this machine.")
    var api: String?

    @Option(help: "Cisco's region: us1, eu1, eu2, anz1, ca1, jp1 or sg1 (default us1); https://api.wxcc-REGION.cisco.com.")
    var region: String?

    @Option(help: "A file whose first line is the access token (default: WEBEX_TOKEN).")
    var tokenFile: String?

    @Option(help: "At most this many requests a minute, retries included, from 1 to 100000 (Cisco's limit is 300).")
    var rate = 300

    @Option(help: "Seconds to wait for a whole answer before trying again (at most 3600).")
    var timeout: Double = 30

    func validate() throws {
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be from 1 to 100000 requests a minute") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be more than 0 and at most 3600 seconds") }
    }

    /// The tenant's endpoint, checked (exit 64 when wrong); `webex plan --from` needs only this.
    func endpoint() throws -> WebexEndpoint {
        let environment = ProcessInfo.processInfo.environment
        do {
            return try WebexEndpoint(api: api ?? environment["WEBEX_API"], region: region, org: org ?? environment["WEBEX_ORG"])
        } catch {
            throw CommandFailure("usage", "\(error)", status: HelpText.usageError.0)
        }
    }

    /// A client of the tenant and the status line it draws on, or a usage failure (exit 64)
    /// before any request is made.
    func connect(quiet: Bool) throws -> (WebexClient, StatusLine) {
        let endpoint = try self.endpoint()
        let token: WebexToken
        do {
            token = try WebexToken(tokenFile: tokenFile, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CommandFailure("usage", "\(error)", status: HelpText.usageError.0)
        }
        let status = StatusLine(quiet: quiet)
        let client = WebexClient(
            endpoint: endpoint, token: token, ratePerMinute: rate, timeout: .milliseconds(Int(timeout * 1000)), onActivity: status.show)
        return (client, status)
    }
}
