import Foundation
import OutboundConfig

/// `DIR/extra.yaml`: what the Webex API does not hold and the format needs (SPEC §9) — the
/// tenant's name, digital-channels switch and time zone, and each digital entry point's
/// address and queue. Optional as a whole and field by field: what it leaves out is left out
/// of the import and listed as a field to fill.
///
/// ```yaml
/// tenant: { name: Harbor Logistics, digitalChannels: enabled, timezone: Europe/Lisbon }
/// entryPoints:                 # keyed by the Webex entry point's name or id
///   Support SMS: { address: "+351910000001", queue: SMS Queue }   # queue: a Webex queue's name or id
/// ```
///
/// It is read with the loader of the configuration files, so its problems are diagnostics
/// located at file:line:col like theirs. Which entry point or queue a key names is decided by
/// the mapping, which knows the export.
public struct WebexExtra: Sendable {
    public struct EntryPointFill: Sendable {
        /// The Webex entry point's name or id, as written.
        public var key: Located<String>
        public var address: Located<String>?
        /// A Webex queue's name or id.
        public var queue: Located<String>?
    }

    public static let fileName = "extra.yaml"

    public var tenantName: Located<String>?
    public var digitalChannels: Located<DigitalChannels>?
    public var timezone: Located<String>?
    public var entryPoints: [EntryPointFill] = []

    public init() {}

    static let topLevelKeys = ["tenant", "entryPoints"]
    static let entryPointKeys = ["address", "queue"]

    /// Reads `extra.yaml` of `directory`; an absent file is an empty one.
    public static func read(directory: URL) -> (WebexExtra, [Diagnostic]) {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return (WebexExtra(), []) }
        return read(file: url, path: (directory.relativePath as NSString).appendingPathComponent(fileName))
    }

    /// Reads the file at `url` (`webex plan --extra FILE`), named `path` in diagnostics; a
    /// missing file is an error there, since it was asked for by name.
    public static func read(file url: URL, path: String) -> (WebexExtra, [Diagnostic]) {
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            return (WebexExtra(), [Diagnostic(.unreadableFile, "cannot read \(path)", at: SourceLocation(file: path, line: 1, column: 1), path: "")])
        }
        let (file, loadDiagnostics) = YAMLLoader().load(Array(bytes), path: path)
        guard let document = file.document else { return (WebexExtra(), loadDiagnostics) }
        let context = DecodingContext(document: document, file: path)
        let extra = read(document, context)
        return (extra, loadDiagnostics + context.diagnostics)
    }

    private static func read(_ document: YAMLDocument, _ context: DecodingContext) -> WebexExtra {
        var extra = WebexExtra()
        if document.isNull(document.root) { return extra }
        guard let top = context.fields(of: document.root, path: DottedPath(parent: "", last: "extra.yaml"), known: topLevelKeys) else { return extra }
        if let tenantNode = top.value("tenant", required: false),
            let tenant = context.fields(of: tenantNode, path: DottedPath(parent: "", last: "tenant"), known: ConfigurationDecoder.tenantKeys)
        {
            extra.tenantName = tenant.string("name")
            extra.digitalChannels = tenant.enumeration("digitalChannels", DigitalChannels.self)
            extra.timezone = tenant.timeZone("timezone")
        }
        if let entryPointsNode = top.value("entryPoints", required: false) {
            guard document.isMapping(entryPointsNode) else {
                context.report(
                    .wrongType, "entryPoints must be a mapping of Webex entry point names or ids, found \(document.typeName(entryPointsNode))",
                    at: entryPointsNode, path: "entryPoints")
                return extra
            }
            for index in 0..<document.count(entryPointsNode) {
                let keyNode = document.key(entryPointsNode, index)
                guard let key = context.string(keyNode, path: "entryPoints") else { continue }
                let path = DottedPath(parent: "entryPoints", last: key.value)
                guard let fields = context.fields(of: document.value(entryPointsNode, index), path: path, known: entryPointKeys) else { continue }
                extra.entryPoints.append(EntryPointFill(key: key, address: fields.string("address"), queue: fields.string("queue")))
            }
        }
        return extra
    }
}
