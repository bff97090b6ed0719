import OutboundConfig

/// SARIF 2.1.0 for code-scanning uploads: one rule per diagnostic code (with its
/// documentation), results located by line and column, and partial fingerprints built from
/// the code, file and dotted path, so a result keeps its identity when lines move.
struct SARIFDiagnosticReporter: DiagnosticReporter {
    /// Where the codes are documented, relative to the repository root.
    static let documentation = "docs/diagnostics.md"

    func report(_ result: LoadResult) -> String {
        let codes = DiagnosticCode.allCases
        let rules: [JSON] = codes.map { code in
            .object([
                ("id", .string(code.rawValue)),
                ("name", .string(code.name)),
                ("shortDescription", .object([("text", .string(code.summary))])),
                ("help", .object([("text", .string("See \(Self.documentation)#\(code.rawValue.lowercased())"))])),
                ("defaultConfiguration", .object([("level", .string(code.severity == .error ? "error" : "warning"))])),
            ])
        }
        let results: [JSON] = result.diagnostics.map { diagnostic in
            .object([
                ("ruleId", .string(diagnostic.code.rawValue)),
                ("ruleIndex", .int(codes.firstIndex(of: diagnostic.code)!)),
                ("level", .string(diagnostic.severity == .error ? "error" : "warning")),
                ("message", .object([("text", .string(diagnostic.message))])),
                (
                    "locations",
                    .array([
                        .object([
                            (
                                "physicalLocation",
                                .object([
                                    ("artifactLocation", .object([("uri", .string(diagnostic.location.file))])),
                                    (
                                        "region",
                                        .object([("startLine", .int(diagnostic.location.line)), ("startColumn", .int(diagnostic.location.column))])
                                    ),
                                ])
                            )
                        ])
                    ])
                ),
                ("partialFingerprints", .object([("outboundctl/v1", .string(fingerprint(diagnostic)))])),
            ])
        }
        return JSON.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("outboundctl")),
                                        ("version", .string(Outboundctl.version)),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ]).rendered(pretty: true) + "\n"
    }

    /// A run that could not check anything (a usage error): no results, and an invocation
    /// that says it failed, with the reason as a tool notification.
    static func failedRun(code: String, message: String) -> String {
        JSON.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", .object([("name", .string("outboundctl")), ("version", .string(Outboundctl.version))]))])),
                        (
                            "invocations",
                            .array([
                                .object([
                                    ("executionSuccessful", .bool(false)),
                                    (
                                        "toolExecutionNotifications",
                                        .array([
                                            .object([
                                                ("level", .string("error")),
                                                ("descriptor", .object([("id", .string(code))])),
                                                ("message", .object([("text", .string(message))])),
                                            ])
                                        ])
                                    ),
                                ])
                            ])
                        ),
                        ("results", .array([])),
                    ])
                ])
            ),
        ]).rendered(pretty: true) + "\n"
    }

    /// FNV-1a over code, file and path: stable across runs and line moves.
    private func fingerprint(_ diagnostic: Diagnostic) -> String {
        var hasher = FNV1a()
        hasher.combine("\(diagnostic.code.rawValue)|\(diagnostic.location.file)|\(diagnostic.path)")
        return hasher.hex
    }
}

extension DiagnosticCode {
    /// The case name in PascalCase, SARIF's rule name (`UnknownReference`).
    var name: String {
        let text = String(describing: self)
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
