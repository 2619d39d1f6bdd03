import FeedwatchCore
import FeedwatchRules
import Testing

@Suite struct TextHandlingTests {
    @Test func russianInflectionsMatchAPrefix() throws {
        for form in ["Казахстан", "Казахстана", "Казахстане", "Казахстаном", "КАЗАХСТАНУ"] {
            #expect(try terms(query: "Казахстан*", in: item(title: "Новости: \(form) и соседи")) == [form])
        }
        #expect(try terms(query: "Казахстан", in: item(title: "В Казахстане выборы")) == nil)
    }

    @Test func yoAndYeAreTheSameLetter() throws {
        #expect(try terms(query: "Пётр", in: item(title: "Петр Первый")) == ["Петр"])
        #expect(try terms(query: "Петр", in: item(title: "ПЁТР I")) == ["ПЁТР"])
    }

    @Test func compatibilityFormsAndFullWidthLettersFold() throws {
        #expect(try terms(query: "Astana", in: item(title: "Ａｓｔａｎａ talks")) == ["Ａｓｔａｎａ"])
        #expect(try terms(query: "strasse", in: item(title: "Die Straße")) == ["Straße"])
    }

    @Test func diacriticsFoldForLatinOnlyAndOnlyWhenAsked() throws {
        #expect(try terms(query: "Turkmenistan", in: item(title: "Türkmenistan gas")) == ["Türkmenistan"])
        #expect(try terms(query: "Özbekiston", in: item(title: "Ozbekiston news")) == ["Ozbekiston"])
        let keeping = RuleEngine.Options(foldDiacritics: false)
        #expect(try terms(query: "Turkmenistan", in: item(title: "Türkmenistan gas"), options: keeping) == nil)
        #expect(try terms(query: "Türkmenistan", in: item(title: "TÜRKMENISTAN gas"), options: keeping) == ["TÜRKMENISTAN"])
        // й is a letter of its own, not и with a mark.
        #expect(try terms(query: "Бишкек AND мир", in: item(title: "Бишкек и мирный"), options: .init()) == nil)
        #expect(try terms(query: "иошкар", in: item(title: "Йошкар-Ола")) == nil)
    }

    @Test func decomposedTextIsComposedFirst() throws {
        // "й" written as и + combining breve, "é" as e + combining acute.
        #expect(try terms(query: "Йошкар*", in: item(title: "Йошкар-Ола")) == ["Йошкар"])
        #expect(try terms(query: "cafe", in: item(title: "Cafe\u{301} Samarkand")) == ["Cafe\u{301}"])
    }

    @Test func apostropheLookAlikesAllSeparateTheSameWay() throws {
        for spelling in ["O'zbekiston", "Oʻzbekiston", "O‘zbekiston", "O’zbekiston", "Oʼzbekiston"] {
            #expect(try terms(query: "\"O'zbekiston\"", in: item(title: "\(spelling) Respublikasi")) == [spelling])
        }
        #expect(try terms(query: "Tajikistan", in: item(title: "Tajikistan’s president")) == ["Tajikistan"])
    }

    @Test func hyphensSeparateWords() throws {
        #expect(try terms(query: "Kyrgyz", in: item(title: "Kyrgyz-Russian talks")) == ["Kyrgyz"])
        #expect(try terms(query: "Alma-Ata", in: item(title: "Alma Ata and Alma-Ata")) == ["Alma Ata", "Alma-Ata"])
        #expect(try terms(query: "\"C5+1\"", in: item(title: "The C5+1 format")) == ["C5+1"])
    }

    @Test func russianLettersNeverMatchLettersThatShareTheirBytes() throws {
        // Folded Russian letters take one byte each, from the range UTF-8 uses after a lead byte: б is 0x81,
        // and ā is 0xC4 0x81.
        let keeping = RuleEngine.Options(foldDiacritics: false)
        #expect(try terms(query: "б", in: item(title: "ā Ā ā"), options: keeping) == nil)
        #expect(try terms(query: "ā", in: item(title: "б а б"), options: keeping) == nil)
        #expect(try terms(query: "āб", in: item(title: "ā б Āб"), options: keeping) == ["Āб"])
    }

    @Test func searchPatternsReadAsFoldedText() throws {
        let engine = try RuleCompiler.compile(
            rules: [rule("q", query: "Казахстан* OR \"Türkmenistan gas\" OR Ёлка")], termLists: [])
        #expect(engine.searchPatterns.map(\.words) == ["казахстан", "turkmenistan gas", "елка"])
        #expect(engine.searchPatterns.map(\.isPrefix) == [true, false, false])
    }

    @Test func lettersThatExpandALotStillFold() throws {
        // NFKC turns ﷺ (three UTF-8 bytes) into four Arabic words, far more than the room kept for ordinary text.
        let crowded = String(repeating: "ﷺ ", count: 200)
        let title = crowded + "Astana"
        #expect(try terms(query: "Astana", in: item(title: title, content: title)) == ["Astana"])
        let content = "ﷺ" + crowded + "Astana talks"
        #expect(try terms(query: "\"Astana talks\"", in: item(content: content)) == ["Astana talks"])
    }

    @Test func wordBoundariesHoldInEveryScript() throws {
        #expect(try terms(query: "Osh", in: item(title: "Oshkosh and Kosh")) == nil)
        #expect(try terms(query: "Ош", in: item(title: "Ошибка в Оше")) == nil)
        #expect(try terms(query: "Ош", in: item(title: "«Ош» — город")) == ["Ош"])
        #expect(try terms(query: "som", in: item(title: "some somersault")) == nil)
    }
}
