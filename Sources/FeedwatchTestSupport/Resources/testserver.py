#!/usr/bin/env python3
"""A loopback HTTP(S) server for feedwatch's tests: scripted routes, hit counts, recorded headers.

It listens on 127.0.0.1 on a port the kernel picks and prints "PORT <n>" as its first line.
Then it reads one JSON command per line on stdin and answers one JSON line on stdout:

  {"cmd": "route", "path": "/feed.xml", ...response spec...}  -> {"ok": true}
  {"cmd": "requests"}                                          -> {"requests": [{"path", "headers", "client_port"}]}
  {"cmd": "stats"}                                             -> {"hits": n, "max_concurrency": m}

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
import socketserver
import ssl
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

routes = {}
log = []
lock = threading.Lock()
in_flight = 0
max_in_flight = 0


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
        if kind == "requests":
            return {"requests": list(log)}
        if kind == "stats":
            return {"hits": len(log), "max_concurrency": max_in_flight}
        return {"error": "unknown command " + kind}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        global in_flight, max_in_flight
        path = self.path.split("?", 1)[0]
        with lock:
            log.append({
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "client_port": self.client_address[1],
            })
            spec = routes.get(path)
            in_flight += 1
            max_in_flight = max(max_in_flight, in_flight)
        try:
            self.respond(spec)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        finally:
            with lock:
                in_flight -= 1

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    options = parser.parse_args()
    socketserver.TCPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
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
