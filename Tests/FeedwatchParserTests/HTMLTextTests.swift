import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

@testable import FeedwatchParser

@Suite struct HTMLTextTests {
    static let cases: [(String, String?)] = [
        ("<p>Astana</p><p>Summit</p>", "Astana Summit"),
        ("Line one<br>Line two<br/>three<BR >four", "Line one Line two three four"),
        ("<b>Ast</b>ana <i>Summit</i>", "Astana Summit"),
        ("<h1>Title</h1>Body<hr>End", "Title Body End"),
        ("<div>Казахстан<div>Астана</div></div>", "Казахстан Астана"),
        ("<ul><li>One<ul><li>Two</li><li>Three</li></ul></li><li>Four</li></ul>", "One Two Three Four"),
        ("<ol><li>first<li>second</ol>after", "first second after"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", "a b c"),
        ("<blockquote>quoted</blockquote><section>s</section><article>t</article>", "quoted s t"),
        ("<pre>code\n    line</pre>", "code line"),
        // Content that is not text for a reader.
        ("<script>alert('x')</script>Visible<style>p { color: red }</style> text", "Visible text"),
        ("<!-- hidden -->Shown<!-- also hidden -->", "Shown"),
        ("<noscript>enable JS</noscript><template><p>later</p></template>ok", "ok"),
        ("<script>document.write('<p>fake</p>')</script>real", "real"),
        // Entities, decoded by libxml2.
        ("Tom &amp; Jerry &mdash; &laquo;quote&raquo; caf&eacute; &#1040;&#x416;", "Tom & Jerry — «quote» café АЖ"),
        ("<p>a&nbsp;&nbsp;b</p>", "a b"),
        ("AT&T and R&D", "AT&T and R&D"),
        // Malformed markup, recovered.
        ("<p>Unclosed <b>bold <i>italic</p>text", "Unclosed bold italic text"),
        ("</div>stray close<p", "stray close"),
        ("<p>one<p>two<div>three", "one two three"),
        ("<a href=\"x\">link</b> rest", "link rest"),
        // A `<meta charset>` inside the fragment must not change how the UTF-8 is read.
        ("<meta charset=\"windows-1251\"><p>Привет</p>", "Привет"),
        // White space only, or nothing at all.
        ("", nil),
        ("   \n\t ", nil),
        ("<p> </p><br>", nil),
        ("<script>only()</script>", nil),
        // Fast path: no markup, only white space to collapse.
        ("Just  plain\n text\u{00A0}here ", "Just plain text here"),
    ]

    @Test(arguments: cases)
    func extractsText(html: String, expected: String?) {
        #expect(HTMLText.plainText(fromHTML: html) == expected, "\(html)")
    }

    @Test(arguments: ["div", "span", "li", "blockquote"])
    func survivesTenThousandLevelsOfNesting(element: String) {
        let depth = 10_000
        let html =
            "<p>before</p>" + String(repeating: "<\(element)>", count: depth) + "deep"
            + String(repeating: "</\(element)>", count: depth)
        let text = HTMLText.plainText(fromHTML: html)
        // libxml2 stops reading at its own depth bound (256); what was read before it is kept.
        #expect(text == "before" || text == "before deep")
    }

    @Test func walksBackOutOfDeepTrees() {
        let html =
            String(repeating: "<div><span>", count: 100) + "deep" + String(repeating: "</span></div>", count: 100)
            + "out"
        #expect(HTMLText.plainText(fromHTML: html) == "deep out")
    }

    @Test func survivesRandomMarkup() {
        var random = SeededRandom(seed: 0x4E7A)
        let pieces = [
            "<p>", "</p>", "<br>", "<div", ">", "<", "&", "&amp;", "&nbsp;", "&#", ";", "x", "Астана", " ", "\n",
            "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "\"", "=", "<ul><li>", "\u{0000}", "&#0;",
            "&#xD800;", "</", "<?xml", "?>",
        ]
        for _ in 0..<2_000 {
            let html = random.string(from: pieces, maxLength: 40)
            guard let text = HTMLText.plainText(fromHTML: html) else { continue }
            // Whatever came in, the result is collapsed and trimmed.
            #expect(!text.isEmpty && text.first != " " && text.last != " " && !text.contains("  "), "\(html)")
        }
    }

    /// Each thread reuses one libxml2 context. Every fragment read first on a brand-new thread (so on a
    /// context never used before, as when each field had its own) must give what the reused context gives
    /// after hundreds of other, often broken, fragments: nothing one parse leaves behind changes the next.
    @Test func reusedContextReadsLikeAFreshOne() {
        var random = SeededRandom(seed: 0x5EED)
        let pieces = [
            "<p>", "</p>", "<b>", "</b>", "<i>", "<a href=\"x\">", "</a>", "<br>", "<div", ">", "<", "&", "&amp;",
            "&nbsp;", "&mdash;", "&eacute", "&#1040;", "Астана", "word", " ", "\n", "<script>", "</script>",
            "<style>", "<!--", "-->", "<table><tr><td>", "<li>", "<meta charset=\"koi8-r\">", "é", "</", "\"",
        ]
        let fragments = (0..<300).map { _ in random.string(from: pieces, maxLength: 30) }
        let reused = fragments.map(HTMLText.plainText(fromHTML:))
        let fresh = FreshTexts(count: fragments.count)
        for (index, fragment) in fragments.enumerated() {
            let done = DispatchSemaphore(value: 0)
            Thread {
                let text = HTMLText.plainText(fromHTML: fragment)
                fresh.texts.withLock { $0[index] = text }
                done.signal()
            }.start()
            done.wait()
        }
        let freshTexts = fresh.texts.withLock { $0 }
        for index in fragments.indices {
            #expect(reused[index] == freshTexts[index], "\(fragments[index])")
        }
    }

    /// Random fragments built mostly from what `SimpleMarkupText` reads, with near misses mixed in:
    /// wherever it answers, its answer is libxml2's.
    @Test func simpleMarkupReaderAgreesWithLibxml2() {
        let pieces = [
            "<p>", "</p>", "<P>", "<p class=\"lead\">", "<p/>", "<br>", "<br/>", "<br />", "</br>", "<b>", "</b>",
            "<i>", "</i>", "<em>", "</em>", "<strong>", "</strong>", "<a href=\"https://x.kz/a?b=1\">", "<a href='y'>",
            "</a>", "<span>", "</span >", "<B>", "</B>", "<div>", "<a href=x>", "<b", ">", "<", "/", "&", "&amp;",
            "&lt;", "&gt;", "&quot;", "&nbsp;", "&mdash;", "&hellip;", "&laquo;", "&raquo;", "&rsquo;", "&apos;",
            "&eacute;", "&nbsp", "&#1040;", "&#x416;", "&#65", "&#0;", "&#x80;", "&#xD800;", "&#9;", "&#128512;",
            "Астана", "word", "AT&T", " ", "  ", "\n", "\t", "\r", "\u{0001}", "\u{FFFE}", "\u{0085}", "é", "\"",
            "=", "'", "<!-- c -->", "<script>", "</script>", "<img src=\"i.png\" alt=\"pic\">", "<img/>", "</img>",
            "<div>", "</div>", "<div class=\"x\">", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<h2>", "</h2>",
            "<H3>", "</h3>", "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<hr>", "<hr/>", "</hr>", "<div/>",
            "<style>p { x: 1 }</style>", "<script>a && b < c</script>", "<script>'</b>'</script>", "</SCRIPT >",
            "<script src=\"s.js\"></script>", "<style>", "</style>", "& ", "&\n", "&", "R&D",
            "<a href=\"?a=1&amp;b=2\">", "<a href=\"?a=1&b=2\">", "<a title='1 > 0'>", "<br></br>",
            "<span lang=\"kk\">", "<font color=\"red\">", "<q>", "</q>", "<code>", "</code>", "<sup>", "</sup>",
            "&#160;", "&#x2003;", "&#32;", "&Omega;", "&thetasym;",
        ]
        // The comparison means something only if the reader answered often.
        #expect(Self.agreeingAnswers(pieces: pieces, seed: 0x1D1FF, fragments: 12_000) > 1_000)
    }

    /// Fragments shaped like real descriptions (paragraphs, lists, divs, links, scripts) rather than noise, so
    /// that the element stack's decisions — which start tag closes what, which end tag is ignored — are
    /// exercised in depth.
    @Test func simpleMarkupReaderAgreesOnDescriptionShapedMarkup() {
        let pieces = [
            "<p>", "</p>", "<div>", "</div>", "<ul>", "</ul>", "<ol>", "<li>", "</li>", "<h2>", "</h2>", "<h6>",
            "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<b>", "</b>", "<i>", "</i>", "<a href=\"u\">", "</a>",
            "<strong>", "</strong>", "<em>", "</em>", "<span>", "</span>", "<font>", "</font>", "<br>", "<br/>",
            "</br>", "<hr>", "<img src=\"i\">", "<script>x()</script>", "<style>.a{}</style>", "text", "Астана",
            " ", "\n", "&amp;", "&nbsp;", "&mdash;", "& ", "<q>", "</q>", "<code>", "</code>", "<small>", "</small>",
        ]
        #expect(Self.agreeingAnswers(pieces: pieces, seed: 0x5A11, fragments: 12_000) > 6_000)
    }

    /// How many of `fragments` random fragments `SimpleMarkupText` answered, each answer checked against libxml2's.
    private static func agreeingAnswers(pieces: [String], seed: UInt64, fragments: Int) -> Int {
        var random = SeededRandom(seed: seed)
        var answered = 0
        for _ in 0..<fragments {
            var html = random.string(from: pieces, maxLength: 24)
            let shown = html.debugDescription
            html.withUTF8 { bytes in
                guard let fast = SimpleMarkupText.plainText(bytes) else { return }
                answered += 1
                #expect(fast == HTMLText.libxml2PlainText(bytes), "\(shown)")
            }
        }
        return answered
    }

    @Test func threadsReadingAtOnceAgree() async {
        let fragments = Self.cases.map(\.0)
        let expected = Self.cases.map(\.1)
        let answers = await withTaskGroup(of: [String?].self) { group in
            for _ in 0..<6 {
                group.addTask { (0..<20).flatMap { _ in fragments.map(HTMLText.plainText(fromHTML:)) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let repeated = Array((0..<20).map { _ in expected }.joined())
        #expect(answers.count == 6 && answers.allSatisfy { $0 == repeated })
    }

    /// Markup that invents element names fills the context's name dictionary; past its bound the
    /// context is replaced, and the text stays right on both sides of the replacement.
    @Test func manyInventedElementNamesStayReadable() {
        for index in 0..<6_000 {
            #expect(HTMLText.plainText(fromHTML: "<x\(index)>item</x\(index)><p>\(index)</p>") == "item \(index)")
        }
        #expect(HTMLText.plainText(fromHTML: "<p>Astana</p><p>Summit</p>") == "Astana Summit")
    }
}

/// Texts read on other threads, gathered for comparison.
private final class FreshTexts: Sendable {
    let texts: Mutex<[String?]>
    init(count: Int) { texts = Mutex([String?](repeating: nil, count: count)) }
}

@Suite struct PlainTextTests {
    @Test(arguments: [
        ("\u{00A0}a\u{2003}\u{2003}b\t\n c\u{3000}", "a b c"),
        ("clean text", "clean text"),
        ("x\u{202F}y\u{205F}z\u{2009}w\u{1680}v\u{0085}u\u{2028}t", "x y z w v u t"),
        ("  leading and trailing  ", "leading and trailing"),
        ("Kazakhstan", "Kazakhstan"),
    ])
    func collapsesWhiteSpace(text: String, expected: String) {
        #expect(PlainText.collapse(text) == expected)
    }

    @Test(arguments: ["", " ", "\u{00A0}\u{202F}\r\n\t"])
    func emptyIsNil(text: String) {
        #expect(PlainText.collapse(text) == nil)
    }

    @Test func buildsTextAcrossPieces() {
        var builder = CollapsedTextBuilder()
        for piece in ["  Astana ", " Summit", "opens", "\u{00A0}", "", "on  Friday — вода и транзит\n"] {
            var piece = piece
            piece.withUTF8 { builder.append($0) }
        }
        builder.breakWord()
        builder.breakWord()
        var last = "end"
        last.withUTF8 { builder.append($0) }
        #expect(builder.finish() == "Astana Summitopens on Friday — вода и транзит end")
        #expect(CollapsedTextBuilder().finish() == nil)
    }

    @Test func keepsZeroWidthAndOtherCharacters() {
        // U+200B is not white space (no White_Space property); it is kept, not turned into a space.
        #expect(PlainText.collapse("a\u{200B}b") == "a\u{200B}b")
    }
}

@Suite struct HTMLEntitiesTests {
    @Test(arguments: [
        ("nbsp", "\u{00A0}"), ("mdash", "—"), ("ndash", "–"), ("eacute", "é"), ("Eacute", "É"), ("laquo", "«"),
        ("raquo", "»"), ("hellip", "…"), ("amp", "&"), ("copy", "©"), ("euro", "€"), ("thetasym", "ϑ"),
    ])
    func looksUpHTMLNames(name: String, expected: String) {
        #expect(HTMLEntities.scalars(named: name) == expected)
    }

    @Test(arguments: ["", "NBSP", "notanentity", "nbsp;", "&nbsp", "x", "verylongentityname"])
    func unknownNamesAreNil(name: String) {
        #expect(HTMLEntities.scalars(named: name) == nil)
    }

    @Test func answersStayRightPastTheRememberedBound() {
        // More invented names than the cache keeps, then names it has and has not seen.
        for index in 0..<3_000 { #expect(HTMLEntities.scalars(named: "zz\(index)") == nil) }
        #expect(HTMLEntities.scalars(named: "laquo") == "«")
        #expect(HTMLEntities.scalars(named: "Omega") == "Ω")
        #expect(HTMLEntities.scalars(named: "zz1") == nil)
    }

    @Test func concurrentLookupsAgree() async {
        let names = ["nbsp", "mdash", "eacute", "raquo", "bogus", "sect", "para"]
        let answers = await withTaskGroup(of: [String?].self) { group in
            for _ in 0..<8 { group.addTask { (0..<500).map { HTMLEntities.scalars(named: names[$0 % names.count]) } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let expected = (0..<500).map { ["\u{00A0}", "—", "é", "»", nil, "§", "¶"][$0 % names.count] }
        #expect(answers.count == 8 && answers.allSatisfy { $0 == expected })
    }
}
