import HeimdallFuzzing

/// libFuzzer's entry point: every input goes through the same invariants as `swift test`'s
/// short seeded run; a broken one is a crash that libFuzzer saves as a reproducer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    var seed: UInt64 = 0
    for byte in bytes.prefix(8) { seed = seed << 8 | UInt64(byte) }
    do {
        try RequestInvariants.check(bytes, shuffleSeed: seed)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<Module>_main`; with `-parse-as-library`
/// there is no generated one, so this hands control to libFuzzer's driver.
@_cdecl("HeimdallFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzzRequest)
}
