/// The one place the version is written; `--version` and the HTTP `User-Agent` read it.
public enum FeedwatchVersion {
    public static let string = "0.1.0"
    public static let userAgent = "feedwatch/\(string) (feed monitor; libcurl)"
}
