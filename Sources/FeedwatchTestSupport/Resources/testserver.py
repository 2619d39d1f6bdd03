#!/usr/bin/env python3
"""A loopback HTTP(S) server for feedwatch's tests: scripted routes, hit counts, recorded headers.

It listens on 127.0.0.1 on a port the kernel picks and prints "PORT <n>" as its first line.
Then it reads one JSON command per line on stdin and answers one JSON line on stdout:

  {"cmd": "route", "path": "/feed.xml", ...response spec...}  -> {"ok": true}
  {"cmd": "requests", "prefix": "/t1"}                         -> {"requests": [{"path", "headers", "client_port"}]}
  {"cmd": "stats", "prefix": "/t1"}                            -> {"hits": n, "max_concurrency": m}

"prefix" narrows a command to the requests whose path starts with it, so many tests can share one server.

A response spec may hold: status, headers (object), body_b64, etag and last_modified (a request that
echoes either exactly gets a 304), not_modified_headers (extra headers on that 304), encoding ("gzip" or
"deflate"), delay (seconds before answering), drip (seconds between body bytes), hang (read the request,
never answer), gzip_bomb (decoded size in bytes of a gzip stream of zeros, generated as it is sent).
An unknown path is a 404. When stdin closes the server exits, so it never outlives its test.
"""

import argparse
import base64
import gzip
import json
import os
import select
import ssl
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

routes = {}
log = []
lock = threading.Lock()


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve_commands():
    try:
        for line in sys.stdin:
            if line.strip():
                answer(run_command(json.loads(line)))
    finally:
        os._exit(0)


def run_command(command):
    kind = command.pop("cmd", "")
    with lock:
        if kind == "route":
            routes[command.pop("path")] = command
            return {"ok": True}
        prefix = command.get("prefix", "")
        matching = [entry for entry in log if entry["path"].startswith(prefix)]
        if kind == "requests":
            return {"requests": [{key: entry[key] for key in ("path", "headers", "client_port")} for entry in matching]}
        if kind == "stats":
            return {"hits": len(matching), "max_concurrency": max_overlap(matching)}
        return {"error": "unknown command " + kind}


def max_overlap(entries):
    """The most requests in progress at one moment, from their start and end times."""
    events = []
    for entry in entries:
        events.append((entry["start"], 1))
        events.append((entry.get("end", float("inf")), -1))
    current = highest = 0
    for _, change in sorted(events, key=lambda event: (event[0], event[1])):
        current += change
        highest = max(highest, current)
    return highest


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        entry = {
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "client_port": self.client_address[1],
            "start": time.monotonic(),
        }
        self.entry = entry
        with lock:
            log.append(entry)
            spec = routes.get(self.path.split("?", 1)[0])
        try:
            self.respond(spec)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        finally:
            entry.setdefault("end", time.monotonic())

    def respond(self, spec):
        if spec is None:
            return self.send_whole(404, {"Content-Type": "text/plain"}, b"no such route\n")
        time.sleep(spec.get("delay", 0))
        if spec.get("hang"):
            return self.wait_for_client_to_leave()
        if spec.get("gzip_bomb"):
            return self.send_gzip_bomb(spec["gzip_bomb"])
        headers = dict(spec.get("headers", {}))
        validators = {}
        if "etag" in spec:
            validators["ETag"] = spec["etag"]
        if "last_modified" in spec:
            validators["Last-Modified"] = spec["last_modified"]
        etag_matches = "etag" in spec and self.headers.get("If-None-Match") == spec["etag"]
        date_matches = "last_modified" in spec and self.headers.get("If-Modified-Since") == spec["last_modified"]
        if etag_matches or date_matches:
            return self.send_whole(304, {**validators, **spec.get("not_modified_headers", {})}, b"")
        headers.update(validators)
        body = base64.b64decode(spec.get("body_b64", ""))
        encoding = spec.get("encoding")
        if encoding == "gzip":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif encoding == "deflate":
            body = zlib.compress(body)
            headers["Content-Encoding"] = "deflate"
        if spec.get("drip"):
            return self.send_dripping(spec.get("status", 200), headers, body, spec["drip"])
        self.send_whole(spec.get("status", 200), headers, body)

    def send_whole(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        # Counted as finished before the client can see the answer and send its next request, so the
        # concurrency count never overlaps a request with the one it made room for.
        self.entry["end"] = time.monotonic()
        self.end_headers()
        self.wfile.write(body)

    def send_dripping(self, status, headers, body, interval):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for index in range(len(body)):
            self.wfile.write(body[index:index + 1])
            self.wfile.flush()
            time.sleep(interval)

    def send_gzip_bomb(self, decoded_size):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(1 << 20)
        for _ in range(decoded_size >> 20):
            chunk = compressor.compress(zeros)
            if chunk:
                self.wfile.write(chunk)
        self.wfile.write(compressor.flush())

    def wait_for_client_to_leave(self):
        self.close_connection = True
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable and not self.connection.recv(1):
                return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen() runs in the constructor: the backlog must be set on the class. The default of 5 drops
    # connections when a test opens many at once, and the client's SYN retry then costs a second.
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    options = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    if options.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.tls_cert, options.tls_key)
        # The handshake happens in the handler's thread, so a client that refuses the certificate
        # cannot stall the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    answer_port = server.server_address[1]
    sys.stdout.write("PORT %d\n" % answer_port)
    sys.stdout.flush()
    threading.Thread(target=serve_commands, daemon=True).start()
    server.serve_forever(poll_interval=0.05)


if __name__ == "__main__":
    main()
