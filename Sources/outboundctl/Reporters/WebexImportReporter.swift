import OutboundConfig
import OutboundWebex

/// The text report of `import webex`: what was written, what to fill in before `apply`, and
/// everything that did not come over as it was, each part headed and counted.
struct WebexImportReporter {
    let terminal: Terminal

    func report(_ report: WebexImportReport, out: String) -> String {
        let counts = report.counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        var output = "Imported into \(VisibleText.escaping(out)): \(counts.isEmpty ? "nothing" : counts).\n"
        let required = report.fill.filter(\.required).count
        if !report.fill.isEmpty {
            output += heading(
                "To fill in", report.fill.count,
                "\(required) required: `outboundctl validate \(VisibleText.escaping(out))` reports each until it is set, here or in extra.yaml")
            for item in report.fill {
                output +=
                    "  \(terminal.paint(item.path, .bold)) (\(item.file))\(item.required ? "" : " [recommended]"): \(VisibleText.escaping(item.message))\n"
            }
        }
        if !report.skipped.isEmpty {
            output += heading("Not imported", report.skipped.count, nil)
            for item in report.skipped {
                let place = item.location.map { "\($0.file) \($0.jsonPath)" } ?? item.resource.fileName(page: 1)
                output +=
                    "  \(VisibleText.escaping(place)) \(VisibleText.escaping(item.name.isEmpty ? item.webexId : "'\(item.name)'")): \(VisibleText.escaping(item.reason))\n"
            }
        }
        if !report.changes.isEmpty {
            output += heading("Changed to fit the format", report.changes.count, nil)
            for change in report.changes {
                output += "  \(VisibleText.escaping(change.path)): \(VisibleText.escaping(change.message))\n"
            }
        }
        if !report.unmappedFields.isEmpty {
            output += heading("Webex fields with no place in the format", report.unmappedFields.count, "left out")
            var byResource: [(WebexResource, [WebexImportReport.UnmappedField])] = []
            for field in report.unmappedFields {
                if byResource.last?.0 == field.resource {
                    byResource[byResource.count - 1].1.append(field)
                } else {
                    byResource.append((field.resource, [field]))
                }
            }
            for (resource, fields) in byResource {
                output += "  \(resource.rawValue): " + fields.map { "\(VisibleText.escaping($0.field)) (\($0.items))" }.joined(separator: ", ") + "\n"
            }
        }
        if !report.fieldWarnings.isEmpty {
            output += heading(
                "Fields that break Cisco's schema", report.fieldWarnings.count,
                "imported all the same, since the import does not read them or reads their null as absent")
            for warning in report.fieldWarnings { output += "  \(VisibleText.escaping(warning.summary))\n" }
        }
        return output
    }

    private func heading(_ title: String, _ count: Int, _ note: String?) -> String {
        "\n\(terminal.paint("\(title) (\(count))", .bold))\(note.map { ": \($0)" } ?? ""):\n"
    }
}
