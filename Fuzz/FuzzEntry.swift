// libFuzzer entry point for the whole front end: bytes → located YAML → model → diagnostics →
// gate → canonical form. Built by scripts/fuzz.sh together with Sources/OutboundConfig in one
// module; not part of the Swift package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FrontEnd.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
