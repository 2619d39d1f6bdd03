#!/usr/bin/env python3
"""Deterministic benchmark corpus for feedwatch (python3 standard library only).

Every benchmark in bench/run reads what this script writes under bench/corpus/ (git-ignored):

  --parse COUNT     COUNT feeds of 30-150 KB: RSS 2.0 (dc:, content:encoded, escaped HTML, CDATA,
                    entities), Atom 1.0 (html and xhtml constructs, xml:base), RSS 1.0; English and
                    Russian, some Russian ones in windows-1251 or KOI8-R; many date dialects.
                    -> corpus/parse-COUNT/
  --big MB          one RSS 2.0 feed of about MB megabytes (the parser's memory target).
                    -> corpus/big-MB/big.xml
  --fetch N         N feeds of about --feed-kb KB each for the fetch benchmark (served by nginx).
                    -> corpus/fetch-N/feeds/
  --items COUNT     COUNT items of about 2 KB of plain text as JSON lines (the match benchmark).
                    -> corpus/items-COUNT/items.jsonl
  --keywords N      N distinct, realistic keywords, one per line (the 1,000-keyword rule set).
                    -> corpus/keywords-N/keywords.txt

Each output folder gets a manifest.json (files, bytes, item counts, seed) that the runner uses to
check that every tool saw every item, and to skip regeneration when the corpus is already there.
The text is produced from word lists and sentence templates written for this project.
"""

import argparse
import datetime
import html
import json
import os
import random
import sys

GENERATOR_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Vocabulary, English. Places carry the forms the templates need.

EN_STATES = [
    ("Kazakhstan", "Kazakh", "Astana"), ("Uzbekistan", "Uzbek", "Tashkent"),
    ("Kyrgyzstan", "Kyrgyz", "Bishkek"), ("Tajikistan", "Tajik", "Dushanbe"),
    ("Turkmenistan", "Turkmen", "Ashgabat"), ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Armenia", "Armenian", "Yerevan"), ("Belarus", "Belarusian", "Minsk"),
    ("Moldova", "Moldovan", "Chisinau"), ("Russia", "Russian", "Moscow"),
    ("Georgia", "Georgian", "Tbilisi"), ("Mongolia", "Mongolian", "Ulaanbaatar"),
]
EN_WORLD = [
    ("Germany", "German", "Berlin"), ("France", "French", "Paris"), ("Japan", "Japanese", "Tokyo"),
    ("Brazil", "Brazilian", "Brasilia"), ("Canada", "Canadian", "Ottawa"), ("India", "Indian", "New Delhi"),
    ("Kenya", "Kenyan", "Nairobi"), ("Chile", "Chilean", "Santiago"), ("Norway", "Norwegian", "Oslo"),
    ("Vietnam", "Vietnamese", "Hanoi"), ("Egypt", "Egyptian", "Cairo"), ("Spain", "Spanish", "Madrid"),
    ("Australia", "Australian", "Canberra"), ("Mexico", "Mexican", "Mexico City"),
    ("Indonesia", "Indonesian", "Jakarta"), ("Poland", "Polish", "Warsaw"), ("Turkey", "Turkish", "Ankara"),
    ("South Korea", "South Korean", "Seoul"), ("Nigeria", "Nigerian", "Abuja"), ("Italy", "Italian", "Rome"),
]
EN_CA_CITIES = [
    "Almaty", "Shymkent", "Karaganda", "Aktau", "Atyrau", "Samarkand", "Bukhara", "Khiva", "Namangan",
    "Andijan", "Fergana", "Osh", "Jalal-Abad", "Karakol", "Khujand", "Kulob", "Mary", "Turkmenbashi",
    "Termez", "Nukus", "Turkistan", "Pavlodar", "Kostanay", "Oskemen",
]
EN_WORLD_CITIES = [
    "Hamburg", "Lyon", "Osaka", "Sao Paulo", "Vancouver", "Mumbai", "Mombasa", "Valparaiso", "Bergen",
    "Da Nang", "Alexandria", "Seville", "Perth", "Monterrey", "Surabaya", "Gdansk", "Izmir", "Busan",
    "Lagos", "Naples", "Chicago", "Atlanta", "Savannah", "Geneva", "Rotterdam", "Dubai", "Singapore",
]
EN_LEADERS = [
    "Kassym-Jomart Tokayev", "Shavkat Mirziyoyev", "Sadyr Japarov", "Emomali Rahmon",
    "Serdar Berdimuhamedov", "Ilham Aliyev", "Nikol Pashinyan", "Alexander Lukashenko",
]
EN_ORGS_CA = [
    "the Commonwealth of Independent States", "the CIS", "the Shanghai Cooperation Organisation",
    "the SCO", "the Eurasian Economic Union", "the EAEU", "the Collective Security Treaty Organisation",
    "the CSTO", "the Organization of Turkic States", "the C5+1 format", "the CIS Council of Heads of State",
    "the CIS Council of Heads of Government", "the Eurasian Development Bank",
]
EN_ORGS_WORLD = [
    "the World Bank", "the International Monetary Fund", "the European Union", "the African Union",
    "the OECD", "the World Health Organization", "the UN Security Council", "the G20",
    "the Center for Internet Security", "the International Energy Agency", "the WTO", "ASEAN",
]
EN_FIRST = [
    "Aigerim", "Bakhyt", "Dilnoza", "Farrukh", "Gulnara", "Islom", "Jamshid", "Kamila", "Madina",
    "Nurlan", "Olzhas", "Rustam", "Saule", "Timur", "Zarina", "Anna", "David", "Elena", "Maria",
    "Peter", "Sarah", "Thomas", "Yuki", "Carlos", "Amara", "Lukas", "Sofia", "Ivan", "Olga", "Pavel",
]
EN_LAST = [
    "Abdullaev", "Bekova", "Dzhumabaev", "Ergashev", "Ismailova", "Karimov", "Nazarova", "Omarov",
    "Rakhimov", "Sadykova", "Tursunov", "Yusupova", "Zhaksylykov", "Miller", "Schmidt", "Dubois",
    "Tanaka", "Silva", "Novak", "Kowalski", "Rossi", "Okafor", "Larsen", "Petrov", "Smirnova",
]
EN_TOPICS_CA = [
    "water sharing on the Amu Darya and Syr Darya", "a new rail link to the Caspian ports",
    "transit routes across the Caspian Sea", "gas exports through the Central Asia-China pipeline",
    "border demarcation in the Fergana Valley", "electricity trade over the regional grid",
    "visa-free travel for citizens of member states", "grain and flour supplies for the winter",
    "a joint fund for small businesses", "customs rules inside the single market",
    "migrant workers' pensions", "the Middle Corridor freight route", "uranium output and contracts",
    "the rescue of the Aral Sea basin", "cotton harvest reforms", "hydropower at Rogun and Kambarata",
    "digital customs declarations", "a regional anti-drug programme", "the rouble settlement of trade",
]
EN_TOPICS_WORLD = [
    "interest rates", "a port strike", "the price of coffee", "semiconductor export rules",
    "heavy rain and flooding", "a new vaccine trial", "electric bus orders", "a cyber attack on hospitals",
    "wildfire season", "the football transfer window", "rising rents in big cities", "a satellite launch",
    "pension reform", "a rail strike", "steel tariffs", "a heatwave", "fishing quotas", "drought relief",
    "a merger of two airlines", "the CIS benchmarks for server hardening", "cisgender and transgender health care",
    "the Georgia state senate race", "a recall of cars with faulty airbags", "the election in Atlanta",
]
EN_EVENTS = [
    "summit", "meeting", "forum", "round of talks", "working visit", "state visit", "joint session",
    "council meeting", "investment forum", "ministerial meeting", "informal summit",
]
EN_VERBS_PAST = [
    "discussed", "reviewed", "agreed on", "signed a roadmap on", "exchanged views on", "debated",
    "set up a working group on", "announced plans for", "called for progress on",
]
EN_OFFICIALS = [
    "the foreign minister", "the prime minister", "the energy minister", "a presidential spokesman",
    "the central bank governor", "the transport minister", "a senior diplomat", "the trade minister",
]
EN_SOURCES = [
    "officials said", "according to a statement", "the ministry said on its website",
    "a spokesperson told reporters", "local media reported", "diplomats said", "analysts noted",
]
EN_SECTIONS = ["World", "Asia", "Economy", "Politics", "Energy", "Business", "Technology", "Sport", "Science"]

EN_TEMPLATES_CA = [
    "{leader} and {leader2} met in {capital} on {weekday} and {verb} {topic}.",
    "The {event} of {org} in {capital} ended with a joint statement on {topic}.",
    "{Official} of {country} said {topic} would top the agenda of the next {event} of {org}.",
    "Delegations from {country} and {country2} {verb} {topic} during a {event} in {city}.",
    "{country}'s {official} arrived in {capital2} for a {event} with {demonym2} counterparts, {source}.",
    "Heads of state of {org} are expected in {capital} next month, where {topic} is on the table.",
    "{demonym} companies signed {number} agreements worth {amount} million dollars at a {event} in {city}.",
    "Trade between {country} and {country2} grew by {pct} percent in the first nine months, {source}.",
    "The talks in {city} covered {topic} and {topic2}, {source}.",
    "{leader} told the {event} in {capital} that {topic} needed a common answer from {org}.",
]
EN_TEMPLATES_WORLD = [
    "{wofficial} in {wcapital} {verb} {wtopic} on {weekday}, {source}.",
    "Shares of companies in {wcountry} fell {pct} percent after news about {wtopic}.",
    "{worg} published a report on {wtopic}, warning that {wtopic2} could follow.",
    "Residents of {wcity} were told to prepare for {wtopic}, {source}.",
    "{person}, a researcher in {wcity}, said {wtopic} had been underestimated for years.",
    "A {wdemonym} court ruled on {wtopic}; the case drew {number} hundred protesters in {wcapital}.",
    "Ministers from {wcountry} and {wcountry2} met in {wcity} to talk about {wtopic}.",
    "{worg} expects {wtopic} to weigh on growth in {wcountry} until next spring.",
]

# ---------------------------------------------------------------------------------------------
# Vocabulary, Russian. Each place is (nominative, genitive, prepositional after «в»).

RU_STATES = [
    ("Казахстан", "Казахстана", "Казахстане"), ("Узбекистан", "Узбекистана", "Узбекистане"),
    ("Киргизия", "Киргизии", "Киргизии"), ("Таджикистан", "Таджикистана", "Таджикистане"),
    ("Туркмения", "Туркмении", "Туркмении"), ("Азербайджан", "Азербайджана", "Азербайджане"),
    ("Армения", "Армении", "Армении"), ("Белоруссия", "Белоруссии", "Белоруссии"),
    ("Россия", "России", "России"), ("Молдавия", "Молдавии", "Молдавии"),
]
RU_WORLD = [
    ("Германия", "Германии", "Германии"), ("Франция", "Франции", "Франции"), ("Япония", "Японии", "Японии"),
    ("Бразилия", "Бразилии", "Бразилии"), ("Индия", "Индии", "Индии"), ("Китай", "Китая", "Китае"),
    ("Турция", "Турции", "Турции"), ("Египет", "Египта", "Египте"), ("Канада", "Канады", "Канаде"),
]
RU_CITIES_CA = [
    ("Астана", "Астаны", "Астане"), ("Ташкент", "Ташкента", "Ташкенте"), ("Бишкек", "Бишкека", "Бишкеке"),
    ("Душанбе", "Душанбе", "Душанбе"), ("Ашхабад", "Ашхабада", "Ашхабаде"), ("Алматы", "Алматы", "Алматы"),
    ("Самарканд", "Самарканда", "Самарканде"), ("Бухара", "Бухары", "Бухаре"), ("Ош", "Оша", "Оше"),
    ("Худжанд", "Худжанда", "Худжанде"), ("Шымкент", "Шымкента", "Шымкенте"), ("Актау", "Актау", "Актау"),
    ("Минск", "Минска", "Минске"), ("Баку", "Баку", "Баку"), ("Ереван", "Еревана", "Ереване"),
    ("Москва", "Москвы", "Москве"), ("Казань", "Казани", "Казани"),
]
RU_CITIES_WORLD = [
    ("Берлин", "Берлина", "Берлине"), ("Париж", "Парижа", "Париже"), ("Токио", "Токио", "Токио"),
    ("Пекин", "Пекина", "Пекине"), ("Дубай", "Дубая", "Дубае"), ("Стамбул", "Стамбула", "Стамбуле"),
    ("Женева", "Женевы", "Женеве"), ("Нью-Йорк", "Нью-Йорка", "Нью-Йорке"),
]
RU_LEADERS = [
    ("Касым-Жомарт Токаев", "Касым-Жомарта Токаева"), ("Шавкат Мирзиёев", "Шавката Мирзиёева"),
    ("Садыр Жапаров", "Садыра Жапарова"), ("Эмомали Рахмон", "Эмомали Рахмона"),
    ("Сердар Бердымухамедов", "Сердара Бердымухамедова"), ("Ильхам Алиев", "Ильхама Алиева"),
    ("Никол Пашинян", "Никола Пашиняна"), ("Александр Лукашенко", "Александра Лукашенко"),
]
RU_ORGS = [
    ("СНГ", "СНГ"), ("Содружество Независимых Государств", "Содружества Независимых Государств"),
    ("ШОС", "ШОС"), ("ЕАЭС", "ЕАЭС"), ("ОДКБ", "ОДКБ"),
    ("Организация тюркских государств", "Организации тюркских государств"),
    ("Евразийский банк развития", "Евразийского банка развития"), ("ООН", "ООН"), ("Евросоюз", "Евросоюза"),
]
RU_EVENTS = [
    ("саммит", "саммите"), ("заседание", "заседании"), ("встреча", "встрече"), ("форум", "форуме"),
    ("переговоры", "переговорах"), ("совет глав государств", "совете глав государств"),
    ("совет глав правительств", "совете глав правительств"), ("неформальный саммит", "неформальном саммите"),
]
RU_TOPICS = [
    "о строительстве железной дороги к портам Каспия", "о водных ресурсах Амударьи и Сырдарьи",
    "о поставках газа в Китай", "о делимитации границы в Ферганской долине", "о торговле электроэнергией",
    "о пенсиях трудовых мигрантов", "о расчётах в национальных валютах", "о безвизовом режиме",
    "о запасах зерна на зиму", "о цифровой таможне", "о Среднем коридоре", "о спасении Аральского моря",
    "о строительстве Рогунской ГЭС", "о добыче урана", "о реформе хлопковой отрасли",
]
RU_TOPICS_WORLD = [
    "о ставках центрального банка", "о забастовке в порту", "о ценах на кофе", "о сильных дождях",
    "о новых правилах экспорта микросхем", "о запуске спутника", "о пенсионной реформе",
    "о трансферном окне в футболе", "о росте арендной платы", "о лесных пожарах", "о стальных пошлинах",
]
RU_OFFICIALS = [
    "министр иностранных дел", "премьер-министр", "министр энергетики", "пресс-секретарь президента",
    "глава центрального банка", "министр транспорта", "вице-премьер", "министр торговли",
]
RU_SOURCES = [
    "сообщила пресс-служба", "говорится в заявлении министерства", "передаёт местное агентство",
    "сообщили журналистам в правительстве", "отметили аналитики", "заявили дипломаты",
]
RU_TEMPLATES = [
    "{leader} провёл переговоры в {city_p} и обсудил вопросы {org_g}, {source}.",
    "В {city_p} прошёл {event} {org_g}; участники договорились {topic}.",
    "{official} {country_g} рассказал {topic} на {event_p} в {city_p}.",
    "Товарооборот {country_g} и {country2_g} за девять месяцев вырос на {pct}%, {source}.",
    "Главы государств {org_g} соберутся в {city_p} в следующем месяце; в повестке — вопрос {topic}.",
    "На {event_p} {org_g} в {city_p} подписано {number} соглашений на {amount} млн долларов.",
    "{leader} и {leader2} обсудили {topic_plain} в ходе встречи в {city_p}.",
    "В {country_p} сообщили {topic}; решение примут до конца года, {source}.",
    "Эксперты из {wcity_g} говорят {wtopic} и предупреждают о последствиях, {source}.",
    "{official} {wcountry_g} выступил {wtopic} на заседании в {wcity_p}.",
    "В {wcity_p} обсуждают {wtopic}: {source}.",
]
RU_FIRST = ["Айгерим", "Бахыт", "Дильноза", "Фаррух", "Гульнара", "Жамшид", "Мадина", "Нурлан", "Ольга",
            "Павел", "Рустам", "Сауле", "Тимур", "Зарина", "Елена", "Иван", "Мария", "Пётр"]
RU_LAST = ["Абдуллаев", "Бекова", "Джумабаев", "Эргашев", "Исмаилова", "Каримов", "Назарова", "Омаров",
           "Рахимов", "Садыкова", "Турсунов", "Юсупова", "Петров", "Смирнова", "Ёлкин", "Фёдорова"]
RU_SECTIONS = ["В мире", "Азия", "Экономика", "Политика", "Энергетика", "Бизнес", "Технологии", "Спорт"]

EN_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                 "октября", "ноября", "декабря"]

# ---------------------------------------------------------------------------------------------
# Text


def _cap(text):
    return text[:1].upper() + text[1:]


class EnglishWriter:
    """Sentences about Central Asia, the CIS and the wider world, in English."""

    lang = "en"

    def __init__(self, rng, regional_share):
        self.rng = rng
        self.regional_share = regional_share

    def _slots(self):
        r = self.rng
        s1, s2 = r.sample(EN_STATES, 2)
        w1, w2 = r.sample(EN_WORLD, 2)
        t1, t2 = r.sample(EN_TOPICS_CA, 2)
        u1, u2 = r.sample(EN_TOPICS_WORLD, 2)
        l1, l2 = r.sample(EN_LEADERS, 2)
        official = r.choice(EN_OFFICIALS)
        return {
            "leader": l1, "leader2": l2, "country": s1[0], "country2": s2[0], "demonym": s1[1],
            "demonym2": s2[1], "capital": s1[2], "capital2": s2[2], "city": r.choice(EN_CA_CITIES + [s1[2]]),
            "topic": t1, "topic2": t2, "org": r.choice(EN_ORGS_CA), "event": r.choice(EN_EVENTS),
            "verb": r.choice(EN_VERBS_PAST), "official": official, "Official": _cap(official),
            "source": r.choice(EN_SOURCES), "weekday": r.choice(EN_WEEKDAY_NAMES),
            "number": r.randint(2, 40), "amount": r.randint(5, 900), "pct": r.randint(2, 35),
            "wcountry": w1[0], "wcountry2": w2[0], "wdemonym": w1[1], "wcapital": w1[2],
            "wcity": r.choice(EN_WORLD_CITIES), "wtopic": u1, "wtopic2": u2, "worg": _cap(r.choice(EN_ORGS_WORLD)),
            "wofficial": _cap(r.choice(EN_OFFICIALS)), "person": self.person(),
        }

    def person(self):
        return f"{self.rng.choice(EN_FIRST)} {self.rng.choice(EN_LAST)}"

    def sentence(self, regional):
        templates = EN_TEMPLATES_CA if regional else EN_TEMPLATES_WORLD
        return _cap(self.rng.choice(templates).format(**self._slots()))

    def headline(self, regional):
        text = self.sentence(regional).rstrip(".")
        words = text.split()
        return " ".join(words[: self.rng.randint(6, 12)])

    def section(self):
        return self.rng.choice(EN_SECTIONS)


class RussianWriter:
    """Sentences about the same subjects in Russian, with the case forms each slot needs."""

    lang = "ru"

    def __init__(self, rng, regional_share):
        self.rng = rng
        self.regional_share = regional_share

    def person(self):
        return f"{self.rng.choice(RU_FIRST)} {self.rng.choice(RU_LAST)}"

    def sentence(self, regional):
        r = self.rng
        s1, s2 = r.sample(RU_STATES, 2)
        w1 = r.choice(RU_WORLD)
        city = r.choice(RU_CITIES_CA)
        wcity = r.choice(RU_CITIES_WORLD)
        (l1, _), (l2, _) = r.sample(RU_LEADERS, 2)
        org = r.choice(RU_ORGS[:7])
        event = r.choice(RU_EVENTS)
        topic = r.choice(RU_TOPICS)
        slots = {
            "leader": l1, "leader2": l2, "city_p": city[2], "org_g": org[1], "event": event[0],
            "event_p": event[1], "topic": topic, "topic_plain": topic[2:], "official": _cap(r.choice(RU_OFFICIALS)),
            "country_g": s1[1], "country2_g": s2[1], "country_p": s1[2], "source": r.choice(RU_SOURCES),
            "pct": r.randint(2, 35), "number": r.randint(2, 40), "amount": r.randint(5, 900),
            "wcity_g": wcity[1], "wcity_p": wcity[2], "wtopic": r.choice(RU_TOPICS_WORLD), "wcountry_g": w1[1],
        }
        templates = RU_TEMPLATES[:8] if regional else RU_TEMPLATES[8:]
        return _cap(r.choice(templates).format(**slots))

    def headline(self, regional):
        words = self.sentence(regional).rstrip(".").split()
        return " ".join(words[: self.rng.randint(6, 12)])

    def section(self):
        return self.rng.choice(RU_SECTIONS)


def paragraphs(writer, regional, count):
    """Plain-text paragraphs; a regional story is mostly regional sentences, with some context."""
    r = writer.rng
    result = []
    for _ in range(count):
        sentences = [writer.sentence(regional and r.random() < 0.75) for _ in range(r.randint(2, 5))]
        result.append(" ".join(sentences))
    return result


def html_paragraphs(rng, texts, base_link, xhtml=False):
    """HTML the way news sites write it: paragraphs, links, emphasis, images, breaks and named entities."""
    out = []
    br = "<br/>" if xhtml else "<br>"
    nbsp = "&#160;" if xhtml else "&nbsp;"
    dash = "&#8212;" if xhtml else rng.choice(["&mdash;", "&#8212;", "\u2014"])
    for i, text in enumerate(texts):
        words = html.escape(text, quote=False).split(" ")
        if len(words) > 8 and rng.random() < 0.5:
            at = rng.randint(1, len(words) - 4)
            words[at] = f'<a href="{base_link}/tag/{rng.randint(1, 400)}">{words[at]}</a>'
        if len(words) > 8 and rng.random() < 0.4:
            at = rng.randint(1, len(words) - 2)
            words[at] = f"<strong>{words[at]}</strong>"
        if rng.random() < 0.3:
            words.insert(rng.randint(1, len(words) - 1), dash)
        body = " ".join(words).replace(". ", "." + nbsp + " ", 1)
        if rng.random() < 0.2:
            body = body.replace(", ", "," + br, 1)
        out.append(f"<p>{body}</p>")
        if i == 0 and rng.random() < 0.35:
            out.append(f'<p><img src="{base_link}/img/{rng.randint(1000, 99999)}.jpg" alt="" width="640" height="360"/></p>')
    if not xhtml and rng.random() < 0.15:
        out.append("<script>window.analytics &amp;&amp; analytics.track('read');</script>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Dates in the dialects feeds really use


def rfc822(rng, when, style):
    """One of the RFC 822 spellings seen in the wild, including its common breakages."""
    wd = EN_WEEKDAYS[when.weekday()]
    mon = EN_MONTHS[when.month - 1]
    if style == 0:
        return f"{wd}, {when.day:02d} {mon} {when.year} {when:%H:%M:%S} +0000"
    if style == 1:
        return f"{wd}, {when.day:02d} {mon} {when.year} {when:%H:%M:%S} GMT"
    if style == 2:
        local = when + datetime.timedelta(hours=3)
        return f"{EN_WEEKDAYS[local.weekday()]}, {local.day:02d} {mon if local.month == when.month else EN_MONTHS[local.month - 1]} {local.year} {local:%H:%M:%S} +0300"
    if style == 3:
        local = when + datetime.timedelta(hours=3)
        return f"{EN_WEEKDAYS[local.weekday()]}, {local.day} {EN_MONTHS[local.month - 1]} {local.year} {local:%H:%M} MSK"
    if style == 4:
        local = when - datetime.timedelta(hours=5)
        return f"{local.day:02d} {EN_MONTHS[local.month - 1]} {local.year} {local:%H:%M:%S} EST"
    if style == 5:
        local = when - datetime.timedelta(hours=7)
        return f"{EN_WEEKDAYS[local.weekday()]}, {local.day:02d} {EN_MONTHS[local.month - 1]} {local.year % 100:02d} {local:%H:%M:%S} PDT"
    if style == 6:
        return f"{wd.upper()},  {when.day} {mon.upper()} {when.year} {when:%H:%M:%S} UT"
    local = when + datetime.timedelta(hours=5)
    return f"{EN_WEEKDAYS[local.weekday()]}, {local.day:02d} {EN_MONTHS[local.month - 1]} {local.year} {local:%H:%M:%S} +0500"


def iso8601(rng, when, style):
    """RFC 3339 and its ISO 8601 relatives."""
    if style == 0:
        return f"{when:%Y-%m-%dT%H:%M:%S}Z"
    if style == 1:
        local = when + datetime.timedelta(hours=3)
        return f"{local:%Y-%m-%dT%H:%M:%S}+03:00"
    if style == 2:
        local = when + datetime.timedelta(hours=5)
        return f"{local:%Y-%m-%dT%H:%M:%S}.{rng.randint(0, 999):03d}+0500"
    if style == 3:
        return f"{when:%Y-%m-%dT%H:%M:%S}.{rng.randint(0, 999999):06d}Z"
    return f"{when:%Y-%m-%dT%H:%M:%S}+00:00"


def russian_date(when):
    local = when + datetime.timedelta(hours=3)
    return f"{local.day} {RU_MONTHS_GEN[local.month - 1]} {local.year} {local:%H:%M} +0300"


# ---------------------------------------------------------------------------------------------
# Feeds

EPOCH = datetime.datetime(2026, 11, 28, 18, 0, 0)
OUTLETS_EN = ["Steppe Herald", "Caspian Wire", "Silk Road Daily", "Eurasia Monitor", "Global Desk",
              "Morning Ledger", "Harbour Times", "Continental Review", "Northern Courier", "Valley Post"]
OUTLETS_RU = ["Степной вестник", "Каспийская лента", "Вести Шёлкового пути", "Евразийский обозреватель",
              "Утренняя газета", "Новости Содружества", "Северный курьер", "Деловая неделя"]


class FeedSpec:
    """Which dialect, language, encoding and date style one generated feed uses."""

    def __init__(self, rng, index):
        self.index = index
        self.format = rng.choices(["rss2.0", "atom1.0", "rss1.0"], weights=[60, 28, 12])[0]
        self.lang = "ru" if rng.random() < 0.4 else "en"
        if self.lang == "ru" and self.format == "rss2.0":
            self.encoding = rng.choices(["utf-8", "windows-1251", "koi8-r"], weights=[50, 32, 18])[0]
        elif self.lang == "ru" and self.format == "rss1.0":
            self.encoding = rng.choice(["utf-8", "windows-1251"])
        else:
            self.encoding = "utf-8"
        self.date_style = rng.randint(0, 7)
        self.iso_style = rng.randint(0, 4)
        self.russian_dates = self.lang == "ru" and self.format == "rss2.0" and rng.random() < 0.08
        self.outlet = rng.choice(OUTLETS_RU if self.lang == "ru" else OUTLETS_EN)
        self.host = f"news{index % 97}.example.{rng.choice(['org', 'com', 'net', 'kz', 'uz'])}"
        self.base = f"https://{self.host}"
        self.regional_share = rng.uniform(0.1, 0.6)


class Item:
    """One story: plain-text paragraphs plus the metadata every dialect needs."""

    def __init__(self, writer, spec, serial, when):
        r = writer.rng
        self.regional = r.random() < spec.regional_share
        self.title = writer.headline(self.regional)
        if r.random() < 0.1:
            self.title += " & more" if writer.lang == "en" else " — подробности"
        self.paras = paragraphs(writer, self.regional, r.randint(3, 9))
        self.summary_paras = self.paras[:1]
        self.author = writer.person()
        self.categories = [writer.section()] + ([writer.section()] if r.random() < 0.3 else [])
        self.slug = f"{spec.index:05d}-{serial:06d}"
        self.link = f"{spec.base}/{when:%Y/%m/%d}/story-{self.slug}.html"
        self.guid = self.link if r.random() < 0.6 else f"urn:fw-bench:{self.slug}"
        self.when = when


def _esc(text):
    return html.escape(text, quote=False)


def _attr(text):
    return html.escape(text, quote=True)


def rss2_item(rng, spec, item):
    date = russian_date(item.when) if spec.russian_dates else rfc822(rng, item.when, spec.date_style)
    permalink = item.guid == item.link
    parts = ["<item>", f"<title>{_esc(item.title)}</title>"]
    if rng.random() < 0.95:
        parts.append(f"<link>{item.link}</link>")
    guid_attr = "" if permalink else ' isPermaLink="false"'
    parts.append(f"<guid{guid_attr}>{item.guid}</guid>")
    parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<dc:creator>{_esc(item.author)}</dc:creator>")
    for c in item.categories:
        parts.append(f"<category>{_esc(c)}</category>")
    summary_html = html_paragraphs(rng, item.summary_paras, spec.base)
    if rng.random() < 0.7:
        parts.append(f"<description>{_esc(summary_html)}</description>")
    else:
        parts.append(f"<description><![CDATA[{summary_html}]]></description>")
    if rng.random() < 0.85:
        parts.append(f"<content:encoded><![CDATA[{html_paragraphs(rng, item.paras, spec.base)}]]></content:encoded>")
    parts.append("</item>")
    return "\n".join(parts) + "\n"


def rss2_head(spec, rng):
    lang = "ru-ru" if spec.lang == "ru" else "en-us"
    built = rfc822(rng, EPOCH, spec.date_style)
    return (
        f'<?xml version="1.0" encoding="{spec.encoding}"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"<title>{_esc(spec.outlet)}</title>\n<link>{spec.base}/</link>\n"
        f'<atom:link href="{spec.base}/rss.xml" rel="self" type="application/rss+xml"/>\n'
        f"<description>{_esc(spec.outlet)} &#8212; news and analysis</description>\n"
        f"<language>{lang}</language>\n<lastBuildDate>{built}</lastBuildDate>\n<ttl>15</ttl>\n"
    )


RSS2_TAIL = "</channel>\n</rss>\n"


def atom_entry(rng, spec, item):
    updated = iso8601(rng, item.when + datetime.timedelta(minutes=rng.randint(0, 90)), spec.iso_style)
    published = iso8601(rng, item.when, spec.iso_style)
    relative = item.link[len(spec.base):]
    xhtml = rng.random() < 0.3
    parts = [
        "<entry>",
        f'<title type="{"html" if rng.random() < 0.5 else "text"}">{_esc(item.title)}</title>',
        f'<link rel="alternate" type="text/html" href="{relative}"/>',
    ]
    if rng.random() < 0.3:
        parts.append(f'<link rel="enclosure" type="image/jpeg" href="/img/{item.slug}.jpg"/>')
    parts += [
        f"<id>tag:{spec.host},2026:{item.slug}</id>",
        f"<published>{published}</published>",
        f"<updated>{updated}</updated>",
        f"<author><name>{_esc(item.author)}</name></author>",
    ]
    for c in item.categories:
        parts.append(f'<category term="{_attr(c)}"/>')
    parts.append(f'<summary type="html">{_esc(html_paragraphs(rng, item.summary_paras, spec.base))}</summary>')
    if xhtml:
        body = html_paragraphs(rng, item.paras, spec.base, xhtml=True)
        parts.append(f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{body}</div></content>')
    else:
        parts.append(f'<content type="html">{_esc(html_paragraphs(rng, item.paras, spec.base))}</content>')
    parts.append("</entry>")
    return "\n".join(parts) + "\n"


def atom_head(spec, rng):
    lang = "ru" if spec.lang == "ru" else "en"
    return (
        f'<?xml version="1.0" encoding="{spec.encoding}"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}" xml:base="{spec.base}/">\n'
        f'<title type="text">{_esc(spec.outlet)}</title>\n<subtitle>{_esc(spec.outlet)}: latest</subtitle>\n'
        f'<link rel="alternate" href="/"/>\n<link rel="self" href="/atom.xml"/>\n'
        f"<id>tag:{spec.host},2026:feed</id>\n<updated>{iso8601(rng, EPOCH, spec.iso_style)}</updated>\n"
    )


ATOM_TAIL = "</feed>\n"


def rdf_item(rng, spec, item):
    parts = [
        f'<item rdf:about="{item.link}">',
        f"<title>{_esc(item.title)}</title>",
        f"<link>{item.link}</link>",
        f"<description>{_esc(' '.join(item.summary_paras))}</description>",
        f"<dc:date>{iso8601(rng, item.when, spec.iso_style)}</dc:date>",
        f"<dc:creator>{_esc(item.author)}</dc:creator>",
    ]
    for c in item.categories:
        parts.append(f"<dc:subject>{_esc(c)}</dc:subject>")
    if rng.random() < 0.6:
        parts.append(f"<content:encoded><![CDATA[{html_paragraphs(rng, item.paras, spec.base)}]]></content:encoded>")
    parts.append("</item>")
    return "\n".join(parts) + "\n"


def rdf_document(spec, rng, items, item_texts):
    lang = "ru" if spec.lang == "ru" else "en"
    seq = "\n".join(f'<rdf:li rdf:resource="{it.link}"/>' for it in items)
    return (
        f'<?xml version="1.0" encoding="{spec.encoding}"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">\n'
        f'<channel rdf:about="{spec.base}/index.rdf">\n<title>{_esc(spec.outlet)}</title>\n'
        f"<link>{spec.base}/</link>\n<description>{_esc(spec.outlet)}</description>\n"
        f"<dc:language>{lang}</dc:language>\n<dc:date>{iso8601(rng, EPOCH, spec.iso_style)}</dc:date>\n"
        "<sy:updatePeriod>hourly</sy:updatePeriod>\n<sy:updateFrequency>2</sy:updateFrequency>\n"
        f"<items>\n<rdf:Seq>\n{seq}\n</rdf:Seq>\n</items>\n</channel>\n"
        + "".join(item_texts)
        + "</rdf:RDF>\n"
    )


def encode(text, encoding):
    """Bytes in the feed's declared encoding; characters it lacks become numeric references."""
    return text.encode(encoding, errors="xmlcharrefreplace")


def make_feed(seed, index, target_bytes, epoch=EPOCH):
    """One feed of about target_bytes; returns (bytes, spec, item count). Deterministic in (seed, index)."""
    rng = random.Random(f"{seed}:feed:{index}")
    spec = FeedSpec(rng, index)
    writer = (RussianWriter if spec.lang == "ru" else EnglishWriter)(rng, spec.regional_share)
    items, texts, size = [], [], 1200
    when = epoch - datetime.timedelta(minutes=rng.randint(0, 600))
    render = {"rss2.0": rss2_item, "atom1.0": atom_entry, "rss1.0": rdf_item}[spec.format]
    while size < target_bytes or not items:
        item = Item(writer, spec, len(items), when)
        text = render(rng, spec, item)
        items.append(item)
        texts.append(text)
        size += len(encode(text, spec.encoding)) + (60 if spec.format == "rss1.0" else 0)
        when -= datetime.timedelta(minutes=rng.randint(3, 240))
    if spec.format == "rss2.0":
        doc = rss2_head(spec, rng) + "".join(texts) + RSS2_TAIL
    elif spec.format == "atom1.0":
        doc = atom_head(spec, rng) + "".join(texts) + ATOM_TAIL
    else:
        doc = rdf_document(spec, rng, items, texts)
    return encode(doc, spec.encoding), spec, len(items)


# ---------------------------------------------------------------------------------------------
# Output sets


def write_manifest(folder, kind, seed, params, files):
    manifest = {
        "kind": kind, "generator_version": GENERATOR_VERSION, "seed": seed, "params": params,
        "files": files, "total_bytes": sum(f["bytes"] for f in files), "total_items": sum(f["items"] for f in files),
    }
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=1)
    return manifest


def write_feed_set(folder, kind, seed, count, size_for, params, subdir=""):
    target = os.path.join(folder, subdir) if subdir else folder
    os.makedirs(target, exist_ok=True)
    files = []
    for index in range(count):
        data, spec, items = make_feed(seed, index, size_for(index))
        name = f"feed-{index:05d}.{'rdf' if spec.format == 'rss1.0' else 'xml'}"
        with open(os.path.join(target, name), "wb") as out:
            out.write(data)
        files.append({"path": os.path.join(subdir, name) if subdir else name, "bytes": len(data), "items": items,
                      "format": spec.format, "encoding": spec.encoding, "lang": spec.lang})
        if (index + 1) % 500 == 0:
            print(f"  {kind}: {index + 1}/{count} feeds", file=sys.stderr)
    return write_manifest(folder, kind, seed, params, files)


def gen_parse(out, seed, count):
    folder = os.path.join(out, f"parse-{count}")

    def size_for(index):
        return random.Random(f"{seed}:size:{index}").randint(30_000, 150_000)

    return folder, write_feed_set(folder, "parse", seed, count, size_for, {"count": count})


def gen_fetch(out, seed, n, feed_kb):
    folder = os.path.join(out, f"fetch-{n}")

    def size_for(index):
        return random.Random(f"{seed}:fsize:{index}").randint(feed_kb * 900, feed_kb * 1100)

    return folder, write_feed_set(folder, "fetch", seed + 1000, n, size_for, {"n": n, "feed_kb": feed_kb}, "feeds")


def gen_big(out, seed, megabytes):
    """One RSS 2.0 feed written item by item, so the generator itself stays small in memory."""
    folder = os.path.join(out, f"big-{megabytes}")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(f"{seed}:big")
    spec = FeedSpec(rng, 99999)
    spec.format, spec.encoding, spec.russian_dates = "rss2.0", "utf-8", False
    writers = [EnglishWriter(rng, 0.4), RussianWriter(rng, 0.4)]
    target = megabytes * 1_000_000
    path = os.path.join(folder, "big.xml")
    count, when = 0, EPOCH
    with open(path, "wb") as out_file:
        size = out_file.write(rss2_head(spec, rng).encode())
        while size < target:
            writer = writers[count % 2]
            size += out_file.write(rss2_item(rng, spec, Item(writer, spec, count, when)).encode())
            count += 1
            when -= datetime.timedelta(minutes=rng.randint(1, 20))
        size += out_file.write(RSS2_TAIL.encode())
    files = [{"path": "big.xml", "bytes": size, "items": count, "format": "rss2.0", "encoding": "utf-8"}]
    return folder, write_manifest(folder, "big", seed, {"mb": megabytes}, files)


def gen_items(out, seed, count):
    """Items as the parser hands them to the rules: plain text, about 2 KB each, one JSON object a line."""
    folder = os.path.join(out, f"items-{count}")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(f"{seed}:items")
    spec = FeedSpec(rng, 0)
    writers = [EnglishWriter(rng, 0.25), RussianWriter(rng, 0.25)]
    path = os.path.join(folder, "items.jsonl")
    total = 0
    with open(path, "w", encoding="utf-8") as out_file:
        for n in range(count):
            writer = writers[0] if rng.random() < 0.6 else writers[1]
            spec.regional_share = 0.25
            item = Item(writer, spec, n, EPOCH - datetime.timedelta(minutes=n))
            summary = item.paras[0][:300].rsplit(" ", 1)[0]
            budget = rng.randint(1800, 2200) - len(item.title.encode()) - len(summary.encode())
            words = []
            for sentence in (item.paras[1:] or item.paras) * 4:
                for word in sentence.split(" "):
                    budget -= len(word.encode()) + 1
                    if budget < 0:
                        break
                    words.append(word)
            content = " ".join(words)
            record = {
                "id": item.guid, "title": item.title, "link": item.link,
                "published": f"{item.when:%Y-%m-%dT%H:%M:%S}Z", "authors": [item.author],
                "categories": item.categories, "summary": summary, "content": content,
            }
            line = json.dumps(record, ensure_ascii=False)
            total += len(line.encode()) + 1
            out_file.write(line + "\n")
    files = [{"path": "items.jsonl", "bytes": total, "items": count, "format": "jsonl", "encoding": "utf-8"}]
    return folder, write_manifest(folder, "items", seed, {"count": count}, files)


KEYWORD_SUFFIXES_EN = ["airport", "railway station", "power plant", "free economic zone", "oil field",
                       "border crossing", "university", "stock exchange", "customs post", "dam"]
KEYWORD_TOPICS = ["grain exports", "gas pipeline", "water treaty", "rail corridor", "uranium contract",
                  "cotton harvest", "migrant quota", "customs union", "visa regime", "hydropower plant",
                  "энергетический рынок", "зерновой коридор", "трудовые мигранты", "таможенный союз",
                  "водный договор", "газопровод", "железная дорога", "свободная экономическая зона"]


def gen_keywords(out, seed, n):
    """N distinct keywords of the kinds an operator lists: places, people, bodies, topics, in two languages."""
    folder = os.path.join(out, f"keywords-{n}")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(f"{seed}:keywords")
    pool = []
    pool += [s[0] for s in EN_STATES + EN_WORLD] + [s[2] for s in EN_STATES + EN_WORLD]
    pool += EN_CA_CITIES + EN_WORLD_CITIES + EN_LEADERS
    pool += [o.removeprefix("the ") for o in EN_ORGS_CA + EN_ORGS_WORLD]
    pool += [s[0] for s in RU_STATES + RU_WORLD] + [c[0] for c in RU_CITIES_CA + RU_CITIES_WORLD]
    pool += [name for name, _ in RU_LEADERS] + [o[0] for o in RU_ORGS] + KEYWORD_TOPICS
    pool = list(dict.fromkeys(pool))
    rng.shuffle(pool)
    seen = set(pool)
    people_first = EN_FIRST + RU_FIRST
    people_last = EN_LAST + RU_LAST
    while len(pool) < n:
        kind = rng.random()
        if kind < 0.45:
            candidate = f"{rng.choice(people_first)} {rng.choice(people_last)}"
        elif kind < 0.75:
            candidate = f"{rng.choice(EN_CA_CITIES + EN_WORLD_CITIES)} {rng.choice(KEYWORD_SUFFIXES_EN)}"
        else:
            state = rng.choice(EN_STATES + EN_WORLD)
            candidate = f"{state[1]} {rng.choice(KEYWORD_TOPICS[:10])}"
        if candidate not in seen:
            seen.add(candidate)
            pool.append(candidate)
    keywords = pool[:n]
    path = os.path.join(folder, "keywords.txt")
    with open(path, "w", encoding="utf-8") as out_file:
        out_file.write("\n".join(keywords) + "\n")
    files = [{"path": "keywords.txt", "bytes": os.path.getsize(path), "items": len(keywords), "format": "text",
              "encoding": "utf-8"}]
    return folder, write_manifest(folder, "keywords", seed, {"n": n}, files)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "corpus"), help="output folder (default bench/corpus)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed; same seed, same bytes")
    parser.add_argument("--parse", type=int, metavar="COUNT", help="feeds of 30-150 KB for the parse benchmark")
    parser.add_argument("--big", type=int, metavar="MB", help="one big RSS 2.0 feed of about MB megabytes")
    parser.add_argument("--fetch", type=int, metavar="N", help="N feeds for the fetch benchmark")
    parser.add_argument("--feed-kb", type=int, default=75, help="size of each fetch feed in KB (default 75)")
    parser.add_argument("--items", type=int, metavar="COUNT", help="COUNT ~2 KB items as JSON lines")
    parser.add_argument("--keywords", type=int, metavar="N", help="N realistic keywords, one per line")
    args = parser.parse_args(argv)
    jobs = []
    if args.parse:
        jobs.append(lambda: gen_parse(args.out, args.seed, args.parse))
    if args.big:
        jobs.append(lambda: gen_big(args.out, args.seed, args.big))
    if args.fetch:
        jobs.append(lambda: gen_fetch(args.out, args.seed, args.fetch, args.feed_kb))
    if args.items:
        jobs.append(lambda: gen_items(args.out, args.seed, args.items))
    if args.keywords:
        jobs.append(lambda: gen_keywords(args.out, args.seed, args.keywords))
    if not jobs:
        parser.error("say what to generate: --parse, --big, --fetch, --items and/or --keywords")
    for job in jobs:
        folder, manifest = job()
        print(f"{folder}: {len(manifest['files'])} file(s), {manifest['total_bytes'] / 1e6:.1f} MB, "
              f"{manifest['total_items']} items")


if __name__ == "__main__":
    main()
