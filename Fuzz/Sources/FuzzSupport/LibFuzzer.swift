internal import CLibFuzzer

#if canImport(Glibc)
    import Glibc
#endif

/// The C signature libFuzzer calls once per input, as `LLVMFuzzerTestOneInput` declares it.
public typealias FuzzTestOneInput = @convention(c) (_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt

/// Starts libFuzzer from a target's `@main`.
///
/// libFuzzer's runtime brings its own `main`, but SwiftPM links every executable with
/// `--defsym main=<Target>_main` (so that test targets can link executables), which takes the place of
/// libFuzzer's `main`; a target built with plain `-parse-as-library` then fails to link for want of
/// `<Target>_main`. So each target keeps a `@main` that hands the process to libFuzzer through
/// `LLVMFuzzerRunDriver`, the documented entry that does exactly what libFuzzer's `main` does: same
/// flags, corpus directories, dictionaries, crash files and final statistics.
public enum LibFuzzer {
    /// Runs libFuzzer on the command line's flags and exits with its status.
    public static func run(_ testOneInput: FuzzTestOneInput) -> Never {
        var argumentCount = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, testOneInput))
    }

    /// The input as a byte array (empty when libFuzzer passes no buffer).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input as text: invalid UTF-8 becomes U+FFFD, as it does wherever feedwatch turns bytes into
    /// a `String`, so every target whose entry point takes a `String` sees what it could really get.
    public static func text(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String {
        String(decoding: bytes(data, size), as: UTF8.self)
    }
}
