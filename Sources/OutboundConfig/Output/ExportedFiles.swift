/// The YAML files of an export: `tenant.yaml` (with `version: 1`) and one file per section.
/// They load back to the same entities.
public enum ExportedFiles {
    /// From a store's entity rows (canonical JSON by key); sections without entries are left out.
    public static func render(entities: [CanonicalForm.Key: String], revision: Int) -> [(name: String, text: String)] {
        var bySection: [Section: [(String, JSON)]] = [:]
        var tenant: JSON?
        for key in entities.keys.sorted() {
            guard let value = try? JSON.parse(entities[key]!) else { continue }
            if key == .tenant {
                tenant = value
            } else if let section = Section(rawValue: key.kind) {
                bySection[section, default: []].append((key.id, value))
            }
        }
        return files(header: "# Exported by outboundctl from store revision \(revision).\n", tenant: tenant, sections: bySection, writingEmpty: false)
    }

    /// The files of a tenant and its sections' entries (in the order given), each file headed
    /// by `header`. `writingEmpty` writes `section: {}` for a section without entries.
    public static func files(header: String, tenant: JSON?, sections: [Section: [(String, JSON)]], writingEmpty: Bool) -> [(
        name: String, text: String
    )] {
        var files = [("tenant.yaml", header + "version: 1\n" + (tenant.map { YAMLWriter.block([("tenant", $0)]) } ?? ""))]
        for section in Section.allCases {
            guard let entries = sections[section] ?? (writingEmpty ? [] : nil) else { continue }
            // Entries are written in chunks on all cores, then joined: the agents of a large tenant.
            let body = entries.isEmpty ? " {}\n" : "\n" + ParallelMap.mapChunks(entries) { [YAMLWriter.block(Array($0), indent: 2)] }.joined()
            files.append(("\(section.rawValue).yaml", header + "\(section.rawValue):" + body))
        }
        return files
    }
}
