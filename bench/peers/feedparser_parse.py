"""Parse peer: Debian's python3-feedparser over many files in one process.

Run with /usr/bin/python3 (where python3-feedparser is installed). Reads each file's bytes first so
that the timing covers parsing, as for the other tools, and prints one JSON line.
"""

import json
import sys
import time

import feedparser


def main(paths):
    total_bytes = total_items = 0
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        total_bytes += len(data)
        total_items += len(feedparser.parse(data).entries)
    seconds = time.perf_counter() - started
    print(json.dumps({"files": len(paths), "bytes": total_bytes, "items": total_items, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1:])
