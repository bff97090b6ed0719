import ArgumentParser

/// `--no-color` and `--quiet`, shared by every command that prints for people.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Never colour the output (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(name: [.short, .long], help: "Print only results and errors: no summaries, progress or plan listings.")
    var quiet = false

    var terminal: Terminal { .standardOutput(noColor: noColor) }

    func validate() throws {
        if noColor { TerminalSafety.colourForbidden = true }
    }
}
