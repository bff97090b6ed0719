import Foundation
import OutboundConfig

/// Where a tenant's configuration API is (SPEC §10 "Connection"): the base URL, from `--api` or
/// `--region`, and the organisation every path names. Checked before any request is made, so a
/// token is never sent in the clear to another machine by a mistyped URL.
public struct WebexEndpoint: Sendable, Equatable {
    /// Cisco's data centres; `--region R` means `https://api.wxcc-R.cisco.com`.
    public static let regions = ["us1", "eu1", "eu2", "anz1", "ca1", "jp1", "sg1"]
    public static let defaultRegion = "us1"

    /// Scheme, host, port and any path prefix (a proxy's), without a trailing slash.
    public let base: String
    public let org: String

    /// Why a connection setting cannot be used: a usage error (exit 64), found before any request.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    public init(api: String?, region: String?, org: String?) throws(Refusal) {
        guard let org, !org.isEmpty else { throw Refusal(description: "no organisation: pass --org ID or set WEBEX_ORG") }
        guard org.utf8.allSatisfy({ Self.isUnreserved($0) }), org != ".", org != ".." else {
            throw Refusal(description: "--org must be an organisation id (letters, digits, '-', '_', '.' and '~'), found \(Self.shown(org))")
        }
        self.org = org
        if let api {
            if region != nil { throw Refusal(description: "--api and --region name the same thing; pass one of them") }
            base = try Self.checked(api: api)
        } else {
            let region = (region ?? Self.defaultRegion).lowercased()
            guard Self.regions.contains(region) else {
                throw Refusal(description: "unknown region \(Self.shown(region)); the regions are \(Self.regions.joined(separator: ", "))")
            }
            base = "https://api.wxcc-\(region).cisco.com"
        }
    }

    /// The URL of `path` (below `/organization/{orgid}/`), with `query` encoded.
    func url(_ path: String, query: [(String, String)]) -> String {
        var url = "\(base)/organization/\(org)/\(path)"
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// What errors and the status line call a request: method and path, no host.
    static func request(_ method: String, _ path: String, query: [(String, String)]) -> String {
        let suffix = query.isEmpty ? "" : "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return "\(method) \(path)\(suffix)"
    }

    /// A path segment made of an id the tenant sent: escaped, so an id cannot add segments, and
    /// refused when it is `.` or `..`, which would climb the path instead of naming an entity.
    static func segment(_ text: String) throws -> String {
        guard !text.isEmpty, text != ".", text != ".." else {
            throw WebexAPIError.failed(
                request: "an id of the tenant", status: nil, trackingId: nil, reason: "\(shown(text)) cannot name an entity in a path", tries: 1)
        }
        return encoded(text)
    }

    private static func checked(api: String) throws(Refusal) -> String {
        guard let components = URLComponents(string: api), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw Refusal(description: "--api \(shown(api)) is not a URL (https://HOST[:PORT])")
        }
        guard components.user == nil, components.password == nil else {
            throw Refusal(description: "--api must not hold credentials; the token comes from --token-file or WEBEX_TOKEN")
        }
        guard components.query == nil, components.fragment == nil else {
            throw Refusal(description: "--api \(shown(api)) must be a base URL, without a query or fragment")
        }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else {
                throw Refusal(
                    description:
                        "--api \(shown(api)) is plain http to \(shown(host)), which is not this machine: the token would cross the network unencrypted; use https (plain http is for loopback only)"
                )
            }
        default: throw Refusal(description: "--api \(shown(api)) must be an https:// URL")
        }
        var text = api
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `localhost`, 127.0.0.0/8 and ::1: the hosts a plain-http URL may name.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ part in UInt8(part) != nil && part.allSatisfy(\.isASCII) }) else { return false }
        return parts[0] == "127"
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): true
        default: false
        }
    }

    private static func encoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    /// A setting quoted in a message: JSON-escaped, so no control byte reaches a terminal.
    static func shown(_ text: String) -> String { JSON.string(text).rendered() }
}
