import OutboundConfig

/// JUnit XML for CI systems that show test reports: one test case per file, failed when the
/// file has errors — one `<failure>` that counts and lists them all, since JUnit allows one per
/// case — so `tests` and `failures` count cases and stay consistent. Warnings go to the
/// case's system-out.
struct JUnitDiagnosticReporter: DiagnosticReporter {
    func report(_ result: LoadResult) -> String {
        let byFile = Dictionary(grouping: result.diagnostics, by: \.location.file)
        let files = result.files + byFile.keys.filter { !result.files.contains($0) }.sorted()
        let failures = files.filter { (byFile[$0] ?? []).contains { $0.severity == .error } }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"outboundctl validate\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        xml += "  <testsuite name=\"outboundctl\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for file in files {
            let diagnostics = byFile[file] ?? []
            let errors = diagnostics.filter { $0.severity == .error }
            let warnings = diagnostics.filter { $0.severity == .warning }
            xml += "    <testcase classname=\"outboundctl.validate\" name=\"\(Self.escape(file))\""
            guard !errors.isEmpty || !warnings.isEmpty else {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            if let first = errors.first {
                let message = errors.count == 1 ? first.message : "\(errors.count) errors, the first: \(first.message)"
                xml +=
                    "      <failure type=\"\(first.code.rawValue)\" message=\"\(Self.escape(message))\">\(Self.escape(errors.map(line).joined(separator: "\n")))</failure>\n"
            }
            if !warnings.isEmpty {
                xml += "      <system-out>\(Self.escape(warnings.map(line).joined(separator: "\n")))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// A run that could not check anything (a usage error): one case in error.
    static func failedRun(code: String, message: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="outboundctl validate" tests="1" failures="0" errors="1">
          <testsuite name="outboundctl" tests="1" failures="0" errors="1">
            <testcase classname="outboundctl.validate" name="outboundctl">
              <error type="\(escape(code))" message="\(escape(message))"/>
            </testcase>
          </testsuite>
        </testsuites>

        """
    }

    private func line(_ diagnostic: Diagnostic) -> String {
        "\(diagnostic.location): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
    }

    private static func escape(_ text: String) -> String {
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
