"""Fetch peer: one poll of many feeds with requests and feedparser, as a typical Python poller does it.

Usage: requests_feedparser_poll.py URLS_FILE STATE_FILE THREADS

Keeps per-feed validators (ETag, Last-Modified) and the ids of the items it stored in STATE_FILE,
sends conditional requests when it has validators, parses each 200 body with feedparser, and prints
one JSON line: feeds, 200s, 304s, failures, items stored in total. Run with /usr/bin/python3.
"""

import concurrent.futures
import json
import os
import sys
import threading

import feedparser
import requests

_local = threading.local()


def session():
    """One connection-reusing session per worker thread (requests sessions are not thread-safe)."""
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
        _local.session.headers["User-Agent"] = "bench-requests-feedparser"
    return _local.session


def poll(url, known):
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("modified"):
        headers["If-Modified-Since"] = known["modified"]
    try:
        response = session().get(url, headers=headers, timeout=30)
    except requests.RequestException as error:
        return url, "failed", known, str(error)
    if response.status_code == 304:
        return url, 304, known, None
    if response.status_code != 200:
        return url, "failed", known, f"HTTP {response.status_code}"
    parsed = feedparser.parse(response.content, response_headers={k.lower(): v for k, v in response.headers.items()})
    ids = set(known.get("ids", []))
    ids.update(entry.get("id") or entry.get("link") or entry.get("title", "") for entry in parsed.entries)
    return url, 200, {"etag": response.headers.get("ETag"), "modified": response.headers.get("Last-Modified"),
                      "ids": sorted(ids)}, None


def main(urls_file, state_file, threads):
    with open(urls_file, encoding="utf-8") as handle:
        urls = [line.strip() for line in handle if line.strip()]
    state = {}
    if os.path.exists(state_file):
        with open(state_file, encoding="utf-8") as handle:
            state = json.load(handle)
    counts = {200: 0, 304: 0, "failed": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for url, outcome, known, error in pool.map(lambda u: poll(u, state.get(u, {})), urls):
            counts[outcome] += 1
            state[url] = known
            if error:
                print(f"{url}: {error}", file=sys.stderr)
    with open(state_file, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    stored = sum(len(known.get("ids", [])) for known in state.values())
    print(json.dumps({"feeds": len(urls), "ok": counts[200], "not_modified": counts[304], "failed": counts["failed"],
                      "items": stored}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
