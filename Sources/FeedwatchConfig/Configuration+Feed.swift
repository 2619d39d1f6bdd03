import FeedwatchCore
import Foundation

extension Configuration {
    /// One `[[feed]]`.
    public struct Feed: Sendable, Hashable {
        /// `url`: an `http(s)://` URL as written, or for a local file a `file://` URL of its absolute path.
        /// It identifies the feed in the state database and in `status`.
        public var url: String
        /// `name`: how logs and `status` call the feed; nil falls back to the URL.
        public var name: String?
        /// `interval`: how often the feed is polled (the top-level `interval` unless the feed sets its own).
        public var interval: Duration
        /// `enabled`: false keeps the feed (and its state) in the config without polling it.
        public var enabled: Bool
        /// `headers`: extra request headers, in file order.
        public var headers: [HTTPHeader]
        /// `auth`: HTTP basic authentication.
        public var credentials: Credentials?
        /// `rules`: the names of the only rules that apply to this feed; nil means every rule.
        public var ruleNames: [String]?
        /// Where the feed is declared, for messages about it; nil for a feed built in code.
        public var location: SourceLocation?

        public init(
            url: String,
            name: String? = nil,
            interval: Duration = .seconds(15 * 60),
            enabled: Bool = true,
            headers: [HTTPHeader] = [],
            credentials: Credentials? = nil,
            ruleNames: [String]? = nil,
            location: SourceLocation? = nil
        ) {
            self.url = url
            self.name = name
            self.interval = interval
            self.enabled = enabled
            self.headers = headers
            self.credentials = credentials
            self.ruleNames = ruleNames
            self.location = location
        }

        /// The local file to read instead of fetching, for a `file://` feed.
        public var filePath: String? { Self.filePath(ofURL: url) }

        static func filePath(ofURL url: String) -> String? {
            guard let parsed = URL(string: url), parsed.isFileURL else { return nil }
            return parsed.path
        }

        /// The feed's name, or its URL when it has none.
        public var displayName: String { name ?? url }

        /// Whether `rule` applies to this feed.
        public func applies(rule: String) -> Bool { ruleNames?.contains(rule) ?? true }
    }

    /// A request header from `headers`; a value read from a file or the environment is a secret.
    public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var value: Secret

        public init(name: String, value: Secret) {
            self.name = name
            self.value = value
        }

        public var description: String { "\(name): \(value)" }
    }

    /// `auth`: HTTP basic authentication with a password read at load.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var username: String
        public var password: Secret

        public init(username: String, password: Secret) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username):\(password)" }
    }

    /// A text that must never reach a log, a message or a `dump`: printing it shows `<hidden>`.
    ///
    /// Header values written in the config itself are not secret (the file is world-readable) and
    /// print as they are; values read from a file or an environment variable are.
    public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        /// The text itself, for the one place that sends it (the fetcher).
        public var revealed: String
        public var isHidden: Bool

        public init(_ text: String, hidden: Bool = true) {
            revealed = text
            isHidden = hidden
        }

        public var description: String { isHidden ? "<hidden>" : revealed }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["value": description]) }
    }
}
