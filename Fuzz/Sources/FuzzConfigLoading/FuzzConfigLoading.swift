import FeedwatchConfig
import Foundation
import FuzzSupport

/// A folder of this process's own for the config file, made once: the loader reads a path, as
/// `feedwatch check` does, so each input is written there first.
private let configPath: String = {
    var template = Array("\(NSTemporaryDirectory())/feedwatch-fuzz-config-XXXXXX".utf8CString)
    guard let folder = mkdtemp(&template) else { fatalError("cannot make a temporary folder: errno \(errno)") }
    return String(cString: folder) + "/feedwatch.toml"
}()

/// Config loading on any bytes: TOML syntax, types, durations, feeds, rules and their diagnostics.
/// Files are not checked (`checkingFiles: false`) and the environment is empty, so no input can reach
/// outside the config file's folder except through `rule_files`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoading(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: configPath, contents: Data(LibFuzzer.bytes(data, size))) else {
        fatalError("cannot write \(configPath)")
    }
    do {
        _ = try Configuration.load(from: configPath, environment: [:], checkingFiles: false)
    } catch {
        _ = error.description
    }
    return 0
}

@main
enum FuzzConfigLoadingMain {
    static func main() { LibFuzzer.run(fuzzConfigLoading) }
}
