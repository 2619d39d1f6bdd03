import FeedwatchCore
import Foundation

/// `[[feed]]` tables: URLs, intervals, headers, credentials and the secrets they name.
extension ConfigurationLoader {
    func readFeeds(_ root: TableReader, defaultInterval: Duration) -> [Configuration.Feed] {
        var feeds: [Configuration.Feed] = []
        var firstByURL: [String: (path: TOMLPath, location: SourceLocation?)] = [:]
        for reader in root.tables("feed") {
            guard let feed = readFeed(reader, defaultInterval: defaultInterval) else { continue }
            if let first = firstByURL[feed.url] {
                let place = first.location.map { " (\($0))" } ?? ""
                reader.report(
                    "duplicate feed URL '\(feed.url)'; \(first.path) already has it\(place)",
                    at: reader.valueLocation("url"))
            } else {
                firstByURL[feed.url] = (reader.path, reader.valueLocation("url"))
            }
            feeds.append(feed)
        }
        return feeds
    }

    private func readFeed(_ reader: TableReader, defaultInterval: Duration) -> Configuration.Feed? {
        let url = reader.required("url") { reader.string($0) }.flatMap { feedURL($0, in: reader) }
        let name = reader.string("name")
        if let name, name.value.trimmingCharacters(in: .whitespaces).isEmpty {
            reader.report("'\(reader.name("name"))' is empty; leave it out to use the URL", at: name.location)
        }
        // Secrets are named by the feed's name or URL, never by anything that could hold the secret.
        let owner = "feed '\(name?.value ?? url ?? reader.path.description)'"
        let interval = reader.duration("interval", atLeast: .seconds(1)) ?? defaultInterval
        let enabled = reader.bool("enabled") ?? true
        let headers = reader.table("headers").map { readHeaders($0, owner: owner) } ?? []
        let credentials = reader.table("auth").flatMap { readCredentials($0, owner: owner) }
        if context.checksFiles, let path = url.flatMap(Configuration.Feed.filePath(ofURL:)),
            let problem = LocalFile.readProblem(at: path)
        {
            reader.report("cannot read the feed file \(path): \(problem)", at: reader.valueLocation("url"))
        }
        let ruleNames = reader.strings("rules")
        if let ruleNames { feedRuleNames.append(FeedRuleNames(reader: reader, names: ruleNames)) }
        if ruleNames?.isEmpty == true {
            reader.report(
                "'\(reader.name("rules"))' is empty, so no rule would apply; leave it out to apply every rule",
                at: reader.valueLocation("rules"))
        }
        reader.rejectUnknownKeys()
        guard let url else { return nil }
        return Configuration.Feed(
            url: url, name: name?.value, interval: interval, enabled: enabled, headers: headers,
            credentials: credentials, ruleNames: ruleNames?.map(\.value), location: reader.location)
    }

    /// Where the first space or line break is, in characters. ASCII URLs, nearly all of them, are read
    /// byte by byte: `Character.isWhitespace` costs a Unicode property look-up per character.
    static func firstSpaceOrLineBreak(in value: String) -> Int? {
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            return value.utf8.firstIndex { (0x09...0x0D).contains($0) || $0 == 0x20 }.map {
                value.utf8.distance(from: value.utf8.startIndex, to: $0)
            }
        }
        return value.firstIndex { $0.isWhitespace || $0.isNewline }.map { value.distance(from: value.startIndex, to: $0) }
    }

    /// The canonical form of a feed's `url`: an http(s) URL as written, or a `file://` URL of an absolute path.
    private func feedURL(_ text: Located<String>, in reader: TableReader) -> String? {
        // Named only when something is reported: a thousand feeds are a thousand good URLs.
        var key: String { reader.name("url") }
        let value = text.value
        guard !value.isEmpty else {
            reader.report("'\(key)' is empty", at: text.location)
            return nil
        }
        if let offset = Self.firstSpaceOrLineBreak(in: value) {
            reader.report(
                "'\(key)' contains a space or line break; percent-encode it as %20", at: text.location(ofOffset: offset))
            return nil
        }
        guard let schemeEnd = value.range(of: "://"),
            value[..<schemeEnd.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || "+-.".contains($0)) })
        else {
            return URL(fileURLWithPath: context.resolve(value)).absoluteString
        }
        let scheme = value[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "http", "https":
            guard let components = URLComponents(string: value) else {
                reader.report("'\(key)' is not a valid URL", at: text.location)
                return nil
            }
            guard let host = components.host, !host.isEmpty else {
                reader.report(
                    "'\(key)' has no host name",
                    at: text.location(ofOffset: value.distance(from: value.startIndex, to: schemeEnd.upperBound)))
                return nil
            }
            if let port = components.port, !(1...65_535).contains(port) {
                reader.report("'\(key)' has the port \(port), outside 1–65535", at: text.location)
                return nil
            }
            guard components.user == nil && components.password == nil else {
                reader.report(
                    "'\(key)' holds credentials; URLs appear in logs and alerts, so put them in 'auth' instead",
                    at: text.location)
                return nil
            }
            return value
        case "file":
            guard let parsed = URL(string: value),
                parsed.host == nil || parsed.host == "" || parsed.host == "localhost",
                !parsed.path.isEmpty
            else {
                reader.report(
                    "'\(key)' must be a file URL of an absolute path, like file:///srv/feeds/news.xml",
                    at: text.location)
                return nil
            }
            return URL(fileURLWithPath: parsed.path).absoluteString
        default:
            reader.report(
                "'\(key)' has the unsupported scheme '\(scheme)'; use http://, https://, file:// or a local path",
                at: text.location)
            return nil
        }
    }

    /// `headers = { "X-Key" = "value", Authorization = { value_env = "TOKEN" } }`.
    private func readHeaders(_ reader: TableReader, owner: String) -> [Configuration.HTTPHeader] {
        var headers: [Configuration.HTTPHeader] = []
        for name in reader.freeFormKeys() {
            let nameIsToken =
                !name.isEmpty
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0)) }
            guard nameIsToken else {
                reader.report("'\(reader.name(name))' is not a valid HTTP header name", at: reader.keyLocation(name))
                continue
            }
            if reader.table[name]?.type == .table, let source = reader.table(name) {
                let what = "header \(name) of \(owner)"
                let value = readSecret(source, fileKey: "value_file", environmentKey: "value_env", what: what)
                source.rejectUnknownKeys()
                guard let value else { continue }
                guard !value.revealed.contains(where: \.isNewline) else {
                    reader.report("the \(what) contains a line break", at: reader.valueLocation(name))
                    continue
                }
                headers.append(Configuration.HTTPHeader(name: name, value: value))
            } else if let text = reader.string(name, expected: "a string, or a table with value_file or value_env"),
                let value = headerValue(text, for: name, in: reader)
            {
                headers.append(Configuration.HTTPHeader(name: name, value: Configuration.Secret(value, hidden: false)))
            }
        }
        return headers
    }

    /// A header value must stay on one line, or it would smuggle in headers of its own.
    func headerValue(_ text: Located<String>, for key: String, in reader: TableReader) -> String? {
        if let lineBreak = text.value.firstIndex(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            reader.report(
                "'\(reader.name(key))' contains a line break",
                at: text.location(ofOffset: text.value.distance(from: text.value.startIndex, to: lineBreak)))
            return nil
        }
        return text.value
    }

    /// `auth = { username = "…", password_file = "…" }` or `{ username = "…", password_env = "…" }`.
    private func readCredentials(_ reader: TableReader, owner: String) -> Configuration.Credentials? {
        let username = reader.required("username") { reader.string($0) }
        if let username, username.value.contains(":") {
            reader.report(
                "'\(reader.name("username"))' cannot contain ':' in HTTP basic authentication", at: username.location)
        }
        let password = readSecret(
            reader, fileKey: "password_file", environmentKey: "password_env", what: "password of \(owner)")
        reader.rejectUnknownKeys()
        guard let username, let password else { return nil }
        return Configuration.Credentials(username: username.value, password: password)
    }

    /// A secret from exactly one of a file (relative to the config) or an environment variable, read now
    /// so a missing one stops the start instead of failing every poll. Messages never include the secret.
    private func readSecret(
        _ reader: TableReader, fileKey: String, environmentKey: String, what: String
    ) -> Configuration.Secret? {
        let file = reader.filePath(fileKey)
        let variable = reader.string(environmentKey)
        switch (file, variable) {
        case (nil, nil):
            if reader.table[fileKey] == nil && reader.table[environmentKey] == nil {
                reader.report("the \(what) needs '\(fileKey)' or '\(environmentKey)'", at: reader.location)
            }
            return nil
        case (.some, .some):
            reader.report(
                "give either '\(fileKey)' or '\(environmentKey)' for the \(what), not both",
                at: reader.valueLocation(environmentKey))
            return nil
        case (.some(let file), nil):
            let data: Data
            do {
                data = try LocalFile.contents(of: file.value)
            } catch {
                reader.report("cannot read the \(what) from \(file.value): \(error.reason)", at: file.location)
                return nil
            }
            // Files written by `echo` or an editor end with a newline that is not part of the secret.
            var text = String(decoding: data, as: UTF8.self)
            while let last = text.last, last.isNewline { text.removeLast() }
            guard !text.isEmpty else {
                reader.report("the file \(file.value) holding the \(what) is empty", at: file.location)
                return nil
            }
            return Configuration.Secret(text)
        case (nil, .some(let variable)):
            guard let text = context.environment[variable.value], !text.isEmpty else {
                reader.report(
                    "environment variable \(variable.value), which holds the \(what), is not set", at: variable.location
                )
                return nil
            }
            return Configuration.Secret(text)
        }
    }
}
