"""`make serve` answers only requests meant for it (issue 22, item 8).

The real dev server (wachhund/commands/serve.py) runs on a copy of the site with a draft
and `SERVE_ALLOWED_HOSTS = ["vorschau.test"]`; raw requests over a socket
carry hostile and allowed `Host` values and malformed request targets. A
hostile host gets 403 and not one byte of a page, the live-reload stream or its
script (what a DNS-rebinding page would read); a malformed target gets 400; the
server keeps answering and its terminal shows no traceback.
"""

import socket
import subprocess
import sys
import time

import pytest

from tests.support import copy_project
from tests.commands.test_serve import Serve

TOKEN = "GEHEIMNIS7731"  # in the draft's body only
DRAFT_PAGE = "/entwurf/geheimer-entwurf/"
FORBIDDEN = b"403 Verboten"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-origin")
    project = copy_project(root / "project")
    (project / "content/posts/geheim.md").write_text(
        f"Title: Geheimer Entwurf\nDate: 2026-11-20 09:00\nStatus: draft\n\nDer Text {TOKEN} ist privat.\n",
        encoding="utf-8")
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as handle:
        handle.write('\nSERVE_ALLOWED_HOSTS = ["vorschau.test"]\n')
    serve = Serve(project, root / "serve.log")
    try:
        serve.wait(lambda log: "Strg+C" in log, "start-up")
        yield serve
    finally:
        serve.stop()


def raw(port: int, request: bytes, limit: int = 1 << 20) -> tuple[int, bytes]:
    """Send `request` as it is; return (status, body). Reads until the server closes
    (or for 5 s: a stream of build events that was wrongly opened never closes)."""
    deadline = time.monotonic() + 5
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        data = b""
        while len(data) < limit and time.monotonic() < deadline:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1."), data[:200]
    return int(head.split()[1]), body


def get(port: int, path: str, host: str | None, extra: str = "", version: str = "HTTP/1.1") -> tuple[int, bytes]:
    header = f"Host: {host}\r\n" if host is not None else ""
    return raw(port, f"GET {path} {version}\r\n{header}{extra}Connection: close\r\n\r\n".encode("latin-1"))


def status_line(port: int, path: str, host: str) -> bytes:
    """The first line of a streaming answer (the live-reload events never end)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0]


HOSTILE = ["attacker.example", "attacker.example:{port}", "127.0.0.1.attacker.example:{port}",
           "localhost.attacker.example:{port}", "", "127.0.0.1:{port}@attacker.example", "[::1"]
ROUTES = [DRAFT_PAGE, "/", "/__wachhund/events", "/__wachhund/live.js", "/feeds/alle.atom.xml", "/nicht-da/"]


@pytest.mark.parametrize("host", HOSTILE)
def test_a_foreign_host_gets_403_and_no_byte_of_the_site(server, host):
    host = host.format(port=server.port)
    for route in ROUTES:
        status, body = get(server.port, route, host)
        assert status == 403, (host, route, status)
        assert body.startswith(FORBIDDEN), body[:200]
        assert TOKEN.encode() not in body and b"<html" not in body.lower() and b"EventSource" not in body
        assert b"data:" not in body


def test_a_page_of_another_origin_cannot_open_the_build_stream(server):
    """A page elsewhere reaching 127.0.0.1 directly (no rebinding) sends its Origin."""
    for origin in ("http://attacker.example", "https://attacker.example:8443", "null"):
        status, body = get(server.port, "/__wachhund/events", f"127.0.0.1:{server.port}", f"Origin: {origin}\r\n")
        assert (status, body.startswith(FORBIDDEN)) == (403, True), origin


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}",
                                  "vorschau.localhost:{port}", "vorschau.test:{port}", "127.0.0.1"])
def test_its_own_addresses_and_configured_names_are_served(server, host):
    host = host.format(port=server.port)
    status, body = get(server.port, DRAFT_PAGE, host)
    assert status == 200 and TOKEN.encode() in body, (host, status)
    assert status_line(server.port, "/__wachhund/events", host).split()[1] == b"200"
    status, _ = get(server.port, "/", host, f"Origin: http://{host}\r\n")
    assert status == 200


def test_http_1_0_without_host_is_served_and_http_1_1_needs_exactly_one(server):
    assert get(server.port, "/", None, version="HTTP/1.0")[0] == 200
    assert get(server.port, "/", None)[0] == 400
    own = f"127.0.0.1:{server.port}"
    assert get(server.port, "/", own, f"Host: {own}\r\n")[0] == 400
    assert get(server.port, "/", own, "Host: attacker.example\r\n")[0] == 400


MALFORMED = ["/%00", "/%", "/%zz/", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",
             "/a/./b/", "/%ff%fe", "/%c3%28", "/a%0d%0aSet-Cookie:%20x=1", "/a%7f", "http://evil.example/",
             "http://127.0.0.1/", "*", "entwurf/"]


@pytest.mark.parametrize("path", MALFORMED)
def test_a_malformed_path_gets_400_and_the_server_keeps_serving(server, path):
    status, body = get(server.port, path, f"127.0.0.1:{server.port}")
    assert status == 400, (path, status, body[:200])
    assert body.startswith(b"400 ") and TOKEN.encode() not in body
    assert get(server.port, DRAFT_PAGE, f"127.0.0.1:{server.port}")[0] == 200
    assert "Traceback" not in server.text()


def test_overlong_paths_are_answered_honestly(server):
    own = f"127.0.0.1:{server.port}"
    assert get(server.port, "/" + "a" * 300 + "/", own)[0] == 404  # longer than any file name
    assert get(server.port, "/a" * 3000 + "/", own)[0] == 404  # longer than any path
    assert get(server.port, "/" + "a" * 70000, own)[0] == 414  # longer than a request line may be
    assert get(server.port, DRAFT_PAGE, own)[0] == 200
    assert "Traceback" not in server.text()


def test_a_bad_allowed_host_setting_stops_make_serve_at_once(tmp_path):
    project = copy_project(tmp_path / "project")
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as handle:
        handle.write('\nSERVE_ALLOWED_HOSTS = ["vorschau.test:8000"]\n')
    result = subprocess.run([sys.executable, "-m", "wachhund.commands.serve", "--port", "0"], cwd=project,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SERVE_ALLOWED_HOSTS must be a list of host names" in result.stderr and "'vorschau.test:8000'" in result.stderr
