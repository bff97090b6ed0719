import Foundation
import OutboundConfig

/// The tenant as `webex plan` compares it: its lists imported in memory exactly as
/// `import webex` would, and every item's `version` as read, which a saved plan keeps so push
/// can tell an entity changed since.
public struct WebexTenantRead: Sendable {
    public let run: WebexImportRun
    public let versions: [WebexResource: [String: Int]]
    /// The work type wrap-up codes are created in (`v2/work-type`).
    public var wrapUpWorkType: WebexLookup = .unknown

    /// From lists pulled just now.
    public static func read(files: [(name: String, bytes: [UInt8])], extra: (WebexExtra, [Diagnostic])) -> WebexTenantRead {
        WebexTenantRead(run: WebexImportRun.map(WebexExport.read(files: files), extra), versions: versions(files))
    }

    /// From a saved pull (`--from DIR`); `extra` nil reads DIR's `extra.yaml`.
    public static func read(directory: URL, extra: (WebexExtra, [Diagnostic])?) -> WebexTenantRead {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let files = names.filter { WebexResource.parse(fileName: $0) != nil }.compactMap { name in
            FileManager.default.contents(atPath: directory.appendingPathComponent(name).path).map { (name, [UInt8]($0)) }
        }
        var read = WebexTenantRead(
            run: WebexImportRun.map(WebexExport.read(directory: directory), extra ?? WebexExtra.read(directory: directory)),
            versions: versions(files))
        if let data = FileManager.default.contents(atPath: directory.appendingPathComponent("work-type.json").path),
            let json = try? JSON.parse(bytes: [UInt8](data))
        {
            read.wrapUpWorkType = wrapUpWorkType(in: json["data"]?.arrayValue ?? json.arrayValue ?? [])
        }
        return read
    }

    /// Reads the tenant's work types (every page of `v2/work-type`) for the wrap-up one.
    public static func wrapUpWorkType(client: WebexClient) async throws -> WebexLookup {
        wrapUpWorkType(in: try await client.items(ofList: "v2/work-type"))
    }

    private static func wrapUpWorkType(in items: [JSON]) -> WebexLookup {
        items.first { $0["workTypeCode"]?.stringValue == "WRAP_UP_CODE" && $0["active"] != .bool(false) }?["id"]?.stringValue.map { .found($0) }
            ?? .none
    }

    /// Each item's `version` by list and id; items without one are left out.
    private static func versions(_ files: [(name: String, bytes: [UInt8])]) -> [WebexResource: [String: Int]] {
        var versions: [WebexResource: [String: Int]] = [:]
        for file in files {
            guard let (resource, _) = WebexResource.parse(fileName: file.name), let tape = try? JSONTape(bytes: file.bytes) else { continue }
            let list = tape.kind(tape.root) == .object ? tape.member("data", of: tape.root) : tape.root
            guard let list, tape.kind(list) == .array else { continue }
            for item in tape.items(of: list) where tape.kind(item) == .object {
                guard let id = tape.member("id", of: item), tape.kind(id) == .string, let version = tape.member("version", of: item),
                    case .int(let number) = tape.number(version)
                else { continue }
                versions[resource, default: [:]][tape.string(id)] = number
            }
        }
        return versions
    }
}
