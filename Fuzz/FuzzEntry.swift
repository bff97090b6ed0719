// libFuzzer entry point for the whole front end: bytes → located YAML → model → diagnostics →
// gate → canonical form; and the same bytes as a Webex export's user list (`import webex`):
// JSON → Cisco's schema → decoded users. Built by scripts/fuzz.sh together with
// Sources/OutboundConfig and the export reader of Sources/OutboundWebex in one module; not part of the Swift package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FrontEnd.run(bytes)
    _ = WebexListFile<WebexUser>(file: "user.json", bytes: Array(bytes))
    return 0
}
