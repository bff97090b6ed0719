import OutboundConfig

/// One channel's reason counts as a bar chart in inline SVG, drawn by the server so that it
/// needs no script and no request of its own. Each bar carries its label and count as text,
/// so the numbers read without the picture too; colours come from the stylesheet.
enum ReasonChart {
    static func svg(_ summary: MatrixSummary, channel: String, id: String) -> HTML {
        let reasons = summary.reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard let largest = reasons.first?.value else {
            return "<p>No unavailable \(channel) rows, so no reasons to count.</p>"
        }
        let width = 400
        let barSpace = 300
        let rowHeight = 44
        let bars = reasons.enumerated().map { index, reason -> HTML in
            let top = index * rowHeight
            let length = max(2, reason.value * barSpace / largest)
            return """
                <g data-reason="\(reason.key.rawValue)" data-count="\(reason.value)">
                <text x="0" y="\(top + 16)">\(reason.key.rawValue)</text>
                <rect x="0" y="\(top + 22)" width="\(length)" height="14"></rect>
                <text x="\(length + 6)" y="\(top + 35)">\(reason.value)</text>
                </g>

                """
        }
        return """
            <svg class="chart" role="img" aria-labelledby="\(id)" viewBox="0 0 \(width) \(reasons.count * rowHeight)" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)">Unavailable \(channel) rows by reason</title>
            \(bars)</svg>
            """
    }
}
