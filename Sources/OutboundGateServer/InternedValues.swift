import Foundation
import OutboundConfig

/// Teams and answers, each kept once however many cells share it.
struct InternedValues: Sendable {
    private(set) var teams: [String] = []
    private(set) var teamIds: [String: UInt32] = [:]
    private(set) var answers: [ServedAnswer] = []
    private var answerIds: [AvailabilityCell: UInt32] = [:]

    var bytes: Int {
        (teams.capacity + teamIds.capacity * 2) * MemoryLayout<String>.stride
            + (answers.capacity + answerIds.capacity * 2) * (MemoryLayout<AvailabilityCell>.stride + 32)
    }

    mutating func team(_ id: String) -> UInt32 {
        if let known = teamIds[id] { return known }
        teams.append(id)
        teamIds[id] = UInt32(teams.count - 1)
        return UInt32(teams.count - 1)
    }

    mutating func pack(_ key: AvailabilityKey, _ cell: AvailabilityCell, revision: Int) -> PackedCell {
        let answer: UInt32
        if let known = answerIds[cell] {
            answer = known
        } else {
            answers.append(ServedAnswer(cell))
            answer = UInt32(answers.count - 1)
            answerIds[cell] = answer
        }
        return PackedCell(team: team(key.team), answer: answer, revision: UInt32(clamping: revision), channel: key.channel)
    }

    func cell(_ packed: PackedCell) -> GateSnapshot.Cell {
        GateSnapshot.Cell(team: teams[Int(packed.team)], channel: packed.channel, answer: answers[Int(packed.answer)])
    }
}

/// A cell's answer as served: the cell, and its licence window's boundaries already written
/// as the API writes them. Formatting `until` per answer was a fifth of a 1,000-check batch.
struct ServedAnswer: Sendable {
    let cell: AvailabilityCell
    private let fromText: String?
    private let untilText: String?

    init(_ cell: AvailabilityCell) {
        self.cell = cell
        fromText = cell.window.from.map(LicenceWindow.text)
        untilText = cell.window.until.map(LicenceWindow.text)
    }

    /// When the answer next changes by itself after `now`, and that instant's text.
    func until(at now: Date) -> (instant: Date, text: String)? {
        guard let instant = cell.until(at: now) else { return nil }
        return (instant, (instant == cell.window.from ? fromText : untilText) ?? LicenceWindow.text(instant))
    }
}
