import Foundation
import OutboundConfig

/// `outboundctl-bench phases DIR`: where validate's time goes, phase by phase, in-process.
enum Phases {
    static func run(directory: String) {
        var clock = DispatchTime.now()
        func lap(_ label: String) {
            let now = DispatchTime.now()
            print("\(label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.3f s", Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e9))")
            clock = now
        }
        var diagnostics: [Diagnostic] = []
        let paths = ConfigurationLoader().discover(paths: [directory], diagnostics: &diagnostics)
        let data = paths.compactMap { FileManager.default.contents(atPath: $0) }
        lap("read")
        let loader = YAMLLoader()
        let files = zip(paths, data).map { path, bytes in bytes.withUnsafeBytes { loader.load(bytes: $0, path: path).0 } }
        lap("parse+tree")
        let (configuration, problems) = ConfigurationDecoder.decode(files)
        lap("decode")
        let rules = ConfigurationValidator().validate(configuration)
        lap("rules")
        print("agents \(configuration.agents.count), diagnostics \(problems.count + rules.count)")
    }
}
