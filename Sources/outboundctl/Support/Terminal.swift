import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where output goes and whether it may be coloured: colour only on a terminal, never with
/// `NO_COLOR` set (https://no-color.org).
struct Terminal {
    let colour: Bool

    static func standardOutput(noColor: Bool = false) -> Terminal {
        Terminal(colour: !noColor && !TerminalSafety.colourForbidden && isatty(STDOUT_FILENO) == 1 && colourAllowedByEnvironment)
    }

    static func standardError(noColor: Bool = false) -> Terminal {
        Terminal(colour: !noColor && !TerminalSafety.colourForbidden && isatty(STDERR_FILENO) == 1 && colourAllowedByEnvironment)
    }

    static var standardInputIsInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    private static var colourAllowedByEnvironment: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    func paint(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    enum Style: String {
        case red = "1;31"
        case yellow = "1;33"
        case green = "32"
        case cyan = "36"
        case bold = "1"
        case dim = "2"
    }
}

/// Writes to standard error, for messages that are not the command's result.
func printError(_ message: String, terminator: String = "\n") {
    let bytes = TerminalSafety.clean(Array((message + terminator).utf8), colour: Terminal.standardError().colour)
    FileHandle.standardError.write(Data(bytes))
}

/// Writes the command's result to standard output in one piece.
func emit(_ text: String) {
    emit(bytes: Array(text.utf8))
}

func emit(bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(TerminalSafety.clean(bytes, colour: Terminal.standardOutput().colour)))
}

/// Ends the process with `status` once the output is written, without tearing down `kept`
/// (the loaded configuration, the desired state): freeing a 50,000-agent model object by
/// object costs more than a whole matrix's output, and the operating system reclaims it at
/// once. Swift ends a value's lifetime at its last use, so commands hand theirs over here.
func finish<Kept>(status: Int32, keeping kept: Kept) -> Never {
    withExtendedLifetime(kept) {
        fflush(nil)
        InterruptGuard.honourPendingSignal()
        exit(status)
    }
}
