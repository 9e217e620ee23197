"""wachhund.lib.net.guarded.download against a local server: compressed and cut-off answers."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import pytest

from wachhund.lib.net import AddressPolicy
from wachhund.lib.net.guarded import download

BODY = ('{"datasets": [' + ", ".join(f'{{"id": {n}, "title": "Datensatz {n}"}}' for n in range(200)) + "]}").encode()


class Handler(BaseHTTPRequestHandler):
    cut = False

    def do_GET(self):
        packed = gzip.compress(BODY, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(packed)))
        self.end_headers()
        self.wfile.write(packed[: len(packed) // 2] if self.server.cut else packed)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http.cut = False
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield http
    http.shutdown()


def test_a_compressed_answer_is_checked_against_the_bytes_sent(server):
    """Content-Length counts the compressed bytes; the body is the inflated one. The portals'
    catalogues and FragDenStaat are read through this: every gzip answer was "incomplete"."""
    url = f"http://127.0.0.1:{server.server_address[1]}/data.json"
    final, body = download(url, AddressPolicy(allow_private=True), {}, 10_000_000, timeout=10)
    assert (final, body) == (url, BODY)


def test_a_compressed_answer_cut_off_is_incomplete(server):
    """Half the compressed bytes: a failed transfer (the callers write nothing), never a short body."""
    server.cut = True
    with pytest.raises((OSError, aiohttp.ClientError)):
        download(f"http://127.0.0.1:{server.server_address[1]}/data.json", AddressPolicy(allow_private=True), {},
                 10_000_000, timeout=10)
