#!/usr/bin/env python3
"""Builds each fuzz target's seed corpus from the project's own fixtures (called by scripts/fuzz).

Usage: make-seeds.py REPO_ROOT OUT_DIR. Writes OUT_DIR/<target>/<n> files, one input each, in the shape
the target's LLVMFuzzerTestOneInput expects (see Fuzz/Sources/<Target>/).
"""
import hashlib
import html
import json
import pathlib
import re
import sys
import tomllib

root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
fixtures = root / "Tests/FeedwatchParserTests/Fixtures"
feeds = [p for p in sorted(fixtures.rglob("*")) + sorted((root / "config/samples").glob("*"))
         if p.is_file() and ".expected" not in p.name and p.name != ".gitkeep"]
rule_files = sorted((root / "config/rules").glob("*.toml"))
configs = sorted((root / "config").glob("*.toml")) + rule_files + sorted((root / "Tests").rglob("*.toml"))
labelled = [json.loads(line) for line in (root / "Tests/DefaultRulesTests/Labelled/examples.jsonl").read_text().splitlines()
            if line.strip()]


def write(target, data):
    """Saves one input under a name derived from its bytes, so reruns do not pile up duplicates."""
    if isinstance(data, str):
        data = data.encode()
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def element_texts(names):
    """The text of every element called one of `names` in the XML and JSON fixtures, entities decoded once."""
    pattern = re.compile(r"<(%s)\b[^>]*>(.*?)</\1>" % "|".join(map(re.escape, names)), re.S)
    for path in feeds:
        text = path.read_bytes().decode("utf-8", "replace")
        for match in pattern.finditer(text):
            body = match.group(2)
            body = body[9:-3] if body.startswith("<![CDATA[") and body.endswith("]]>") else html.unescape(body)
            yield body
        if path.suffix == ".json":
            try:
                yield from json_strings(json.loads(text), names)
            except ValueError:
                pass


def json_strings(value, names):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in names and isinstance(item, str):
                yield item
            yield from json_strings(item, names)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, names)


for path in feeds:
    write("feed", path.read_bytes())
for path in configs:
    write("config", path.read_bytes())

date_names = ["pubDate", "lastBuildDate", "updated", "published", "modified", "issued", "created", "dc:date",
              "date_published", "date_modified"]
for text in element_texts(date_names):
    write("date", text.strip())

html_names = ["description", "content:encoded", "summary", "content", "body", "subtitle", "title", "content_html"]
for text in element_texts(html_names):
    write("html", text)
for example in labelled:
    write("html", example.get("summary") or "")

# Rule-language inputs: query, exclude, the @fuzz list's entries (tab-separated), then an item. A target
# compiles one rule with one list, so every `@list` a shipped query names becomes `@fuzz`, holding the
# entries of all the lists it named.
term_lists, rules = {}, []
for path in rule_files:
    document = tomllib.loads(path.read_text())
    term_lists.update(document.get("terms", {}))
    rules += document.get("rule", [])
list_reference = re.compile(r"@([A-Za-z0-9_-]+)")
for index, example in enumerate(labelled):
    rule = rules[index % len(rules)] if rules else {"query": "Astana"}
    query = rule.get("query") or " OR ".join('"%s"' % keyword for keyword in rule.get("keywords", []))
    exclude = rule.get("exclude", "")
    # A few entries of each list: the shipped lists hold hundreds, and every input is compiled afresh, so
    # whole lists would cut the target to a few inputs a second.
    terms = [term for name in list_reference.findall(query + " " + exclude) for term in term_lists.get(name, [])[:8]]
    query, exclude = (list_reference.sub("@fuzz", text).replace("\n", " ") for text in (query, exclude))
    item = [example.get("title") or "", example.get("summary") or "", example.get("content") or ""]
    write("rules", "\n".join([query, exclude, "\t".join(terms)] + item))

# Hand-written seeds for what the fixtures do not show (Fuzz/seeds/<target>/).
for path in sorted((root / "Fuzz/seeds").glob("*/*")):
    write(path.parent.name, path.read_bytes())
