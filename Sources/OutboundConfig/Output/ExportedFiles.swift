/// The YAML files of an export: `tenant.yaml` (with `version: 1`) and one file per section,
/// from a store's entity rows (canonical JSON by key). They load back to the same entities.
public enum ExportedFiles {
    public static func render(entities: [CanonicalForm.Key: String], revision: Int) -> [(String, String)] {
        var bySection: [String: [(String, JSON)]] = [:]
        var tenant: JSON?
        for key in entities.keys.sorted() {
            guard let value = try? JSON.parse(entities[key]!) else { continue }
            if key == .tenant { tenant = value } else { bySection[key.kind, default: []].append((key.id, value)) }
        }
        let header = "# Exported by outboundctl from store revision \(revision).\n"
        var files: [(String, String)] = []
        var tenantFile = header + "version: 1\n"
        if let tenant { tenantFile += YAMLWriter.block([("tenant", tenant)]) }
        files.append(("tenant.yaml", tenantFile))
        for section in Section.allCases {
            guard let entries = bySection[section.rawValue] else { continue }
            files.append(("\(section.rawValue).yaml", header + YAMLWriter.block([(section.rawValue, .object(entries))])))
        }
        return files
    }
}
