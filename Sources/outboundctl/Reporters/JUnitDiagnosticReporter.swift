import OutboundConfig

/// JUnit XML for CI systems that show test reports: one test case per file, one failure per
/// error in it; warnings go to the case's system-out.
struct JUnitDiagnosticReporter: DiagnosticReporter {
    func report(_ result: LoadResult) -> String {
        let byFile = Dictionary(grouping: result.diagnostics, by: \.location.file)
        let files = result.files + byFile.keys.filter { !result.files.contains($0) }.sorted()
        let failures = result.diagnostics.errorCount
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"outboundctl validate\" tests=\"\(files.count)\" failures=\"\(failures)\">\n"
        xml += "  <testsuite name=\"outboundctl\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for file in files {
            let diagnostics = byFile[file] ?? []
            let errors = diagnostics.filter { $0.severity == .error }
            let warnings = diagnostics.filter { $0.severity == .warning }
            xml += "    <testcase classname=\"outboundctl.validate\" name=\"\(escape(file))\""
            guard !errors.isEmpty || !warnings.isEmpty else {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            for error in errors {
                xml += "      <failure type=\"\(error.code.rawValue)\" message=\"\(escape(error.message))\">\(escape(line(error)))</failure>\n"
            }
            if !warnings.isEmpty {
                xml += "      <system-out>\(escape(warnings.map(line).joined(separator: "\n")))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private func line(_ diagnostic: Diagnostic) -> String {
        "\(diagnostic.location): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
    }

    private func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n", "\t", "\r": output.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
