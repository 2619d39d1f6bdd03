import FeedwatchCore
@testable import FeedwatchParser
import Foundation
import FuzzSupport

/// The date reader on any text, and a round trip: a date it reads, printed as the RFC 3339 that
/// `feedwatch parse` writes, must read back as the same second. Dates far from the present are left
/// out of the round trip, since a zone offset may carry them past year 1 or 9999.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedDate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let date = FeedDate.parse(LibFuzzer.text(data, size)) else { return 0 }
    let printed = RFC3339.format(date)
    let wholeSecond = date.timeIntervalSince1970.rounded(.down)
    guard (-2_208_988_800...7_258_118_400).contains(wholeSecond) else { return 0 }  // 1900 to 2200
    guard FeedDate.parse(printed)?.timeIntervalSince1970 == wholeSecond else {
        fatalError("\(printed) does not read back as the instant it was printed from (\(wholeSecond))")
    }
    return 0
}

@main
enum FuzzFeedDateMain {
    static func main() { LibFuzzer.run(fuzzFeedDate) }
}
