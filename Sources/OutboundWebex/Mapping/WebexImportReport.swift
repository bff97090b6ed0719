import OutboundConfig

/// What `import webex` did, for the admin who adopts the tenant next (SPEC §9): how many
/// entries each section got, which fields are still to fill, and everything of the export
/// that did not come over as it was — items not imported, values changed to fit the format,
/// Webex fields the format has no place for, and the fields that break Cisco's schema where
/// the import could go on. Nothing is dropped without a line here.
public struct WebexImportReport: Sendable {
    /// A field the import left out because the export does not hold it. `validate` of the
    /// output reports each one at the same place: errors for `required`, warnings otherwise.
    public struct Fill: Hashable, Sendable {
        /// The dotted path of the field (`entryPoints.support-sms.address`).
        public var path: String
        /// The output file it goes in.
        public var file: String
        public var required: Bool
        public var message: String
    }

    /// An item of the export that was not imported, and why.
    public struct Skipped: Hashable, Sendable {
        public var resource: WebexResource
        public var webexId: String
        public var name: String
        /// Where it was read (file and JSON path).
        public var location: WebexItemLocation?
        public var reason: String
    }

    /// A value that came over changed, or a part of an item that did not come over.
    public struct Change: Hashable, Sendable {
        /// The dotted path of the imported entry or field it concerns.
        public var path: String
        public var message: String
    }

    /// A Webex field the mapping does not read: the format has no place for it.
    public struct UnmappedField: Hashable, Sendable {
        public var resource: WebexResource
        public var field: String
        /// How many items carry it.
        public var items: Int
    }

    /// Entries written per section, in the format's order; the tenant is not counted.
    public var counts: [(Section, Int)] = []
    public var fill: [Fill] = []
    public var skipped: [Skipped] = []
    public var changes: [Change] = []
    public var unmappedFields: [UnmappedField] = []
    /// Schema problems that did not stop the import, counted per list and field.
    public var fieldWarnings: [WebexFieldWarning] = []

    public init() {}
}

extension WebexImportReport {
    /// `import webex --format json`, without the command's own members (source, out, files).
    public var jsonMembers: [(String, JSON)] {
        [
            ("counts", .object(counts.map { ($0.0.rawValue, .int($0.1)) })),
            (
                "fill",
                .array(
                    fill.map {
                        .object([
                            ("path", .string($0.path)), ("file", .string($0.file)), ("required", .bool($0.required)),
                            ("message", .string($0.message)),
                        ])
                    })
            ),
            (
                "notImported",
                .array(
                    skipped.map { item in
                        .object([
                            ("resource", .string(item.resource.rawValue)), ("webexId", .string(item.webexId)), ("name", .string(item.name)),
                            ("file", item.location.map { .string($0.file) } ?? .null),
                            ("jsonPath", item.location.map { .string($0.jsonPath) } ?? .null),
                            ("reason", .string(item.reason)),
                        ])
                    })
            ),
            ("changed", .array(changes.map { .object([("path", .string($0.path)), ("message", .string($0.message))]) })),
            (
                "unmappedFields",
                .array(
                    unmappedFields.map {
                        .object([("resource", .string($0.resource.rawValue)), ("field", .string($0.field)), ("items", .int($0.items))])
                    })
            ),
            (
                "schemaWarnings",
                .array(
                    fieldWarnings.map {
                        .object([
                            ("resource", .string($0.resource.rawValue)), ("field", .string($0.field)), ("reason", .string($0.reason.rawValue)),
                            ("items", .int($0.items)), ("file", .string($0.first.file)), ("jsonPath", .string($0.first.jsonPath)),
                            ("message", .string($0.first.message)),
                        ])
                    })
            ),
        ]
    }
}

extension WebexInputProblem {
    public var json: JSON {
        .object([("severity", .string(severity.rawValue)), ("file", .string(file)), ("jsonPath", .string(jsonPath)), ("message", .string(message))])
    }
}
