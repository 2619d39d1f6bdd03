import FeedwatchConfig
import Foundation
import Testing

/// Configs that hung or blew up the loader under the config fuzz target (Fuzz/Sources/FuzzConfigLoading),
/// kept byte for byte in FuzzRegressions/.
@Suite struct ConfigFuzzRegressionTests {
    /// A comment, then NUL bytes and mangled keys: toml++ stopped at the NUL and accepted the comment, the
    /// key locator read on and looped, growing to 2 GB. Now the NUL itself is the error.
    @Test(.timeLimit(.minutes(1)))
    func aNULByteIsRefusedWhereItIs() throws {
        let url = try #require(
            Bundle.module.url(forResource: "nul-after-a-comment", withExtension: "toml", subdirectory: "FuzzRegressions"))
        do {
            _ = try Configuration.load(from: url.path, environment: [:])
            Issue.record("a config with NUL bytes loaded")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.message == "invalid TOML: a NUL character (byte 0) is not allowed")
            #expect(error.diagnostics.first?.location?.line == 2)
            #expect(error.diagnostics.first?.location?.column == 1)
        }
    }
}
