import CYAML
import Foundation

/// The baseline: libyaml parsing the same files and doing nothing with the events but
/// counting them. Whatever `validate` costs on top of this is our own code.
enum PlainParse {
    static func run(paths: [String]) -> Int {
        var events = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var parser = yaml_parser_t()
                yaml_parser_initialize(&parser)
                defer { yaml_parser_delete(&parser) }
                yaml_parser_set_input_string(&parser, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count)
                var event = yaml_event_t()
                while yaml_parser_parse(&parser, &event) != 0 {
                    events += 1
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    if done { break }
                }
            }
        }
        return events
    }
}
