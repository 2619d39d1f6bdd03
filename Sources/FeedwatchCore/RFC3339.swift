import Foundation

/// RFC 3339 timestamps as the contract writes them: UTC, `Z`, whole seconds.
public enum RFC3339 {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SSZ` (fractions truncated).
    public static func format(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
