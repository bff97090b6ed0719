import ArgumentParser
import OutboundConfig

enum MatrixFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Renders matrix rows as a table for people, CSV (`MatrixCSV`, shared with serve's console),
/// or the JSON of docs/reference.md §5, each followed by (or including) the per-channel summary.
struct MatrixReporter {
    let terminal: Terminal
    /// Leaves out the text summary.
    var quiet = false

    /// Bytes rather than a string: a large tenant's matrix is 100,000 rows.
    func report(_ rows: [MatrixRow], format: MatrixFormat) -> [UInt8] {
        switch format {
        case .text: Array(text(rows).utf8)
        case .csv: MatrixCSV.render(rows)
        case .json: json(rows)
        }
    }

    /// One row per line, compact: the rows of a large tenant would triple in size
    /// pretty-printed. Written directly as bytes for the same reason, in chunks on all cores.
    private func json(_ rows: [MatrixRow]) -> [UInt8] {
        var output = Self.rendered(rows, after: "{\"rows\":[", Self.jsonRows)
        let summary = JSON.object(
            MatrixSummary.perChannel(rows).map { channel, summary in
                (
                    channel.rawValue,
                    .object([
                        ("available", .int(summary.available)),
                        ("unavailable", .int(summary.unavailable)),
                        ("reasons", .object(summary.reasons.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int($0.value)) })),
                    ])
                )
            })
        output.write("\n],\n\"summary\":")
        output += summary.rendered().utf8
        output.write("}\n")
        return output
    }

    private static func jsonRows(_ rows: ArraySlice<MatrixRow>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(rows.count * 100)
        for index in rows.indices {
            let row = rows[index]
            output.write(index == 0 ? "\n{\"agent\":" : ",\n{\"agent\":")
            JSON.escape(row.agent, into: &output)
            output.write(",\"team\":")
            JSON.escape(row.team, into: &output)
            output.write(",\"channel\":\"")
            output += row.channel.rawValue.utf8
            output.write(row.available ? "\",\"available\":true,\"reasons\":[" : "\",\"available\":false,\"reasons\":[")
            for (position, reason) in row.reasons.enumerated() {
                output.write(position == 0 ? "\"" : ",\"")
                output += reason.rawValue.utf8
                output.append(UInt8(ascii: "\""))
            }
            output.write("]}")
        }
        return output
    }

    /// `header`, then `rows` rendered by `render` in chunks on all cores, in order.
    private static func rendered(
        _ rows: [MatrixRow], after header: StaticString,
        _ render: @Sendable (ArraySlice<MatrixRow>) -> [UInt8]
    ) -> [UInt8] {
        let chunks = ParallelMap.mapChunks(rows) { [render($0)] }
        var output: [UInt8] = []
        output.reserveCapacity(chunks.reduce(header.utf8CodeUnitCount + 512) { $0 + $1.count })
        output.write(header)
        for chunk in chunks { output += chunk }
        return output
    }

    /// One line per agent and team, a column per channel, then the summary.
    private func text(_ rows: [MatrixRow]) -> String {
        var lines: [(agent: String, team: String, cells: [Channel: String])] = []
        for row in rows {
            if lines.last?.agent != row.agent || lines.last?.team != row.team { lines.append((row.agent, row.team, [:])) }
            lines[lines.count - 1].cells[row.channel] = row.available ? "✔" : "✘ " + row.reasons.map(\.rawValue).joined(separator: ", ")
        }
        let agentWidth = max(5, lines.map(\.agent.count).max() ?? 0)
        let teamWidth = max(4, lines.map(\.team.count).max() ?? 0)
        let smsWidth = max(3, lines.map { $0.cells[.sms]?.count ?? 1 }.max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func paint(_ cell: String?) -> String {
            guard let cell else { return "-" }
            return terminal.paint(cell, cell == "✔" ? .green : .red)
        }
        var output = terminal.paint("\(pad("AGENT", agentWidth))  \(pad("TEAM", teamWidth))  \(pad("SMS", smsWidth))  EMAIL", .bold) + "\n"
        for line in lines {
            let sms = line.cells[.sms] ?? "-"
            output +=
                "\(pad(line.agent, agentWidth))  \(pad(line.team, teamWidth))  \(paint(line.cells[.sms]))\(String(repeating: " ", count: max(0, smsWidth - sms.count)))  \(paint(line.cells[.email]))\n"
        }
        guard !quiet else { return output }
        output += "\n"
        for (channel, summary) in MatrixSummary.perChannel(rows) {
            let reasons = summary.reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key.rawValue) \($0.value)" }
            output += "\(channel.rawValue): \(summary.available) available, \(summary.unavailable) unavailable"
            output += reasons.isEmpty ? "\n" : " — \(reasons.joined(separator: ", "))\n"
        }
        return output
    }
}
