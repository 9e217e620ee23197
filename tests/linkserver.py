"""A local HTTP server on 127.0.0.1 with one route per link behaviour the checker must handle."""

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


class Behaviour(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"ok", headers=()):
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _count(self, key):
        with self.server.lock:
            self.server.counts[key] = self.server.counts.get(key, 0) + 1
            return self.server.counts[key]

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):  # noqa: C901 - a table of behaviours
        path = self.path.split("?")[0]
        self.server.seen.append((self.command, path))
        self.server.timed.append((self.command, path, time.monotonic()))
        stop = self.server.stop
        if path == "/ok":
            return self._send(200, b"<html>" + self.server.page_body + b"</html>")
        if path == "/head405":
            return self._send(405) if self.command == "HEAD" else self._send(200)
        if path == "/head404":
            return self._send(404) if self.command == "HEAD" else self._send(200)
        if path == "/301":
            return self._send(301, headers=[("Location", "/ok")])
        if path == "/302":
            return self._send(302, headers=[("Location", "/ok")])
        if path == "/loop-a":
            return self._send(302, headers=[("Location", "/loop-b")])
        if path == "/loop-b":
            return self._send(302, headers=[("Location", "/loop-a")])
        if path == "/to-other-loopback":
            port = self.server.server_address[1]
            return self._send(302, headers=[("Location", f"http://127.0.0.2:{port}/ok")])
        if path == "/404":
            return self._send(404)
        if path == "/410":
            return self._send(410)
        if path == "/500":
            self._count("500")
            return self._send(500)
        if path == "/429":
            if self._count("429") == 1:
                return self._send(429, headers=[("Retry-After", "1")])
            return self._send(200)
        if path == "/slow":
            stop.wait(60)
            return self._send(200)
        if path in ("/endless", "/drip"):
            if self.command == "HEAD":
                return self._send(405)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk, pause = (b"x" * 65536, 0) if path == "/endless" else (b"x", 0.2)
            deadline = time.monotonic() + 60
            try:
                while not stop.is_set() and time.monotonic() < deadline:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if pause:
                        stop.wait(pause)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return None
        if path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if unquote(path) == "/gründungen-duisburg":
            return self._send(200)
        if path.startswith("/page/"):  # many distinct links, each answer a little late
            stop.wait(0.01)
            return self._send(200)
        if path == "/slowish":
            stop.wait(0.3)
            return self._send(200)
        if path == "/wait":  # answers only once the test releases it (or the server closes)
            self.server.release.wait(30)
            return self._send(200)
        if path in ("/snap-redirect", "/snap-rate", "/snap-fail"):
            return self._send(200)
        if path.startswith("/save/"):  # a Save Page Now stand-in (legacy interface)
            self.server.save_times.append(time.monotonic())
            target = path[len("/save/"):]
            if target.endswith("/snap-redirect"):
                return self._send(302, headers=[("Location", f"{self.server.base}/web/20261120083000/{target}")])
            if target.endswith("/snap-rate") and self._count("snap-rate") == 1:
                return self._send(429, headers=[("Retry-After", "1")])
            if target.endswith("/snap-fail"):
                return self._send(500)
            return self._send(200, headers=[("Content-Location", f"/web/20261122100000/{target}")])
        return self._send(404)


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Behaviour)
        self.lock = threading.Lock()
        self.counts = {}
        self.save_times = []
        self.seen = []
        self.timed = []
        self.stop = threading.Event()
        self.release = threading.Event()
        self.page_body = b"Erste Fassung"
        self.connections = 0

    def process_request(self, request, client_address):
        with self.lock:
            self.connections += 1  # one per TCP connection: how well the client reuses them
        super().process_request(request, client_address)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self):
        self.stop.set()
        self.release.set()
        self.shutdown()
        self.server_close()


def refused_url():
    """An address where nothing listens."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"
