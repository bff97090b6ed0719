/// `matrix`'s rows, filters, per-channel summary and CSV, kept in the core so that the CLI and
/// the support console's overview (`serve`) filter, count and write them with the same code:
/// the console's CSV download is byte for byte `matrix --format csv --unavailable-only`.

/// One row of the matrix: an active agent signed into a team, on one channel.
public struct MatrixRow: Sendable {
    public var agent: String
    public var team: String
    public var channel: Channel
    public var reasons: [ReasonCode]

    public init(agent: String, team: String, channel: Channel, reasons: [ReasonCode]) {
        self.agent = agent
        self.team = team
        self.channel = channel
        self.reasons = reasons
    }

    public var available: Bool { reasons.isEmpty }

    /// `matrix --team T --unavailable-only` over evaluated cells (the site filter is applied
    /// when the cells are read, where agents' sites are known).
    public static func rows(_ cells: [(AvailabilityKey, [ReasonCode])], team: String?, unavailableOnly: Bool) -> [MatrixRow] {
        var rows = cells.map { MatrixRow(agent: $0.0.agent, team: $0.0.team, channel: $0.0.channel, reasons: $0.1) }
        if let team { rows = rows.filter { $0.team == team } }
        if unavailableOnly { rows = rows.filter { !$0.available } }
        return rows
    }
}

/// One channel's counts: `matrix --format json`'s `summary.sms` or `summary.email`.
public struct MatrixSummary: Sendable, Equatable {
    public var available = 0
    public var unavailable = 0
    public var reasons: [ReasonCode: Int] = [:]

    /// SMS then email, each counted over `rows`.
    public static func perChannel(_ rows: [MatrixRow]) -> [(Channel, MatrixSummary)] {
        let channels = [Channel.sms, .email]
        var summaries = channels.map { _ in MatrixSummary() }
        for row in rows {
            let index = row.channel == .sms ? 0 : 1
            if row.available {
                summaries[index].available += 1
            } else {
                summaries[index].unavailable += 1
                for reason in row.reasons { summaries[index].reasons[reason, default: 0] += 1 }
            }
        }
        return Array(zip(channels, summaries))
    }
}

/// `matrix --format csv`: the header `agent,team,channel,available,reasons`, reasons joined
/// with `;`. Bytes rendered in chunks on all cores: a large tenant's matrix is 100,000 rows.
public enum MatrixCSV {
    public static let header: StaticString = "agent,team,channel,available,reasons\n"

    public static func render(_ rows: [MatrixRow]) -> [UInt8] {
        let chunks = ParallelMap.mapChunks(rows) { [csvRows($0)] }
        var output: [UInt8] = []
        output.reserveCapacity(chunks.reduce(header.utf8CodeUnitCount) { $0 + $1.count })
        output.write(header)
        for chunk in chunks { output += chunk }
        return output
    }

    private static func csvRows(_ rows: ArraySlice<MatrixRow>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(rows.count * 60)
        for row in rows {
            output += field(row.agent).utf8
            output.append(UInt8(ascii: ","))
            output += field(row.team).utf8
            output.append(UInt8(ascii: ","))
            output += row.channel.rawValue.utf8
            output.write(row.available ? ",true," : ",false,")
            for (index, reason) in row.reasons.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ";")) }
                output += reason.rawValue.utf8
            }
            output.append(0x0A)
        }
        return output
    }

    /// RFC 4180 quoting, for ids that never need it today but might in other columns.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
