"""`make serve`: build, serve output/ on 127.0.0.1, rebuild on every change.

Pelican's own autoreload neither watches data/ nor re-imports plugins, so we watch
content/, data/, theme/, plugins/ and the settings ourselves. Every change starts a
full, cold build in a fresh process (new YAML, new plugin code); a newer change stops
one still running, and the previous site is served until a build succeeds. A saved
post is shown at once by the preview this process keeps (wachhund/commands/preview.py);
a change in plugins/ restarts the process (it holds the old code).

Open pages follow the build through a same-origin script (live/live.js) added only to
the HTML this server sends, told of each build over Server-Sent Events
(/__wachhund/events). `Guard` answers only requests meant for this server, so a web
page the author visits cannot read drafts through DNS rebinding (README, "`make serve`
answers only its own origin").
"""

import argparse
import functools
import hashlib
import io
import ipaddress
import json
import logging
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

ROOT = Path.cwd()  # the project: the folder `make` runs in
WATCHED = ["content", "data", "theme", "plugins", "pelicanconf.py"]
CONTENT, PLUGINS = ROOT / "content", ROOT / "plugins"
LIVE_SCRIPT = Path(__file__).resolve().parent / "live" / "live.js"
LIVE_TAG = '<script src="/__wachhund/live.js" data-version="{}" defer></script>'
NOISE = ("Feeds generated without SITEURL",)  # Pelican's warning for every local build
HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ERROR_TEXT = {  # German, short, plain text: what the author sees in the browser
    400: "Ungültige Anfrage",
    403: "Verboten",
    404: "Nicht gefunden",
    414: "Adresse zu lang",
    501: "Nicht unterstützt",
}


def allowed_host(value: str, names: frozenset) -> bool:
    """Whether a Host (or Origin) value names this server: an IP literal (v6 in brackets),
    `localhost` or a name under `.localhost`, or one of `names`; with an optional port.

    DNS rebinding needs a name the attacker resolves: an IP literal is never
    resolved, and browsers resolve `localhost` and `*.localhost` to loopback themselves
    (RFC 6761), so no other site can share their origin."""
    host, port = value.strip().lower(), ""
    if host.startswith("["):
        literal, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return False
        port = rest[1:]
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
    else:
        if host.count(":") == 1:
            host, port = host.split(":")
        elif ":" in host:
            return False
        if not (_ipv4(host) or host == "localhost" or host.endswith(".localhost") or host in names):
            return False
        if not HOST_NAME.match(host) and not _ipv4(host):
            return False
    return port == "" or (port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536)


def _ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def allowed_names(settings) -> frozenset:
    """SERVE_ALLOWED_HOSTS: further names the dev server answers to (a name in /etc/hosts, a tunnel)."""
    from wachhund.lib.settings import fail, strings

    names = tuple(name.lower() for name in strings("SERVE_ALLOWED_HOSTS", settings.get("SERVE_ALLOWED_HOSTS", [])))
    for name in names:
        if not HOST_NAME.match(name):
            fail("SERVE_ALLOWED_HOSTS", "a list of host names like 'vorschau.example' (no port, no '*')", name)
    return frozenset(names)


def request_problem(path: str) -> str:
    """Why a request target is malformed (German, for the 400 page), or "" if it is a plain path."""
    if not path.startswith("/"):  # e.g. absolute form "GET http://evil/": we are no proxy
        return "die Adresse muss ein Pfad sein, der mit einem / beginnt"
    path = path.split("?", 1)[0].split("#", 1)[0]
    if BAD_PERCENT.search(path):
        return "ungültige %-Kodierung im Pfad"
    try:
        decoded = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return "der Pfad ist kein UTF-8"
    if CONTROL.search(decoded):
        return "Steuerzeichen im Pfad"
    if any(segment in (".", "..") for segment in decoded.replace("\\", "/").split("/")):
        return "„.“ oder „..“ im Pfad"
    return ""


class Guard:
    """Answers only requests meant for this server, with a path it can look up.

    Runs before any route (pages, /__wachhund/events, live.js): a `Host` (and an
    `Origin`, if the browser sends one) that is not an allowed host gets 403; a
    malformed request target (absolute form, bad %-encoding, non-UTF-8, control
    characters, dot segments) gets 400. HTTP/1.1 without exactly one Host is 400
    (RFC 9112, 3.2); HTTP/1.0 without Host is answered (no browser sends that)."""

    allowed_names: frozenset = frozenset()
    refused_hosts: set = set()  # said once each in the terminal (the first 20)

    def parse_request(self):
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (not hosts and self.request_version != "HTTP/1.0"):
            self.send_error(400, explain="genau eine Host-Angabe erwartet")
            return False
        if problem := request_problem(self.path):
            self.send_error(400, explain=problem)
            return False
        origin = self.headers.get("Origin")
        refused = next((value for value in (*hosts, _origin_host(origin)) if value is not None
                        and not allowed_host(value, self.allowed_names)), None)
        if refused is not None:
            if refused not in self.refused_hosts and len(self.refused_hosts) < 20:  # a flood stays quiet
                self.refused_hosts.add(refused)
                print(f"[serve] Anfrage für {refused!r} abgewiesen (nur IP-Adressen, localhost und "
                      "SERVE_ALLOWED_HOSTS)", flush=True)
            self.send_error(403, explain="Dieser Vorschau-Server antwortet nur unter einer IP-Adresse, "
                                        "„localhost“ oder einem Namen aus SERVE_ALLOWED_HOSTS (pelicanconf.py).")
            return False
        return True


def _origin_host(origin):
    """The host[:port] of an Origin header; "" (refused) for "null" or anything but http(s)."""
    if origin is None:
        return None
    scheme, _, rest = origin.partition("://")
    return rest if scheme in ("http", "https") and rest and "/" not in rest else ""


class Handler(Guard, SimpleHTTPRequestHandler):
    """Serves output/ like a static host: our 404 page, optional extra headers."""

    extra_headers: tuple = ()

    def end_headers(self):
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def send_body_headers(self, code, content_type, body, *headers, message=None):
        self.send_response(code, message)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def send_error(self, code, message=None, explain=None):
        # Serve our own German 404 page like a real host would.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = self.html_bytes(page)
            self.send_body_headers(404, "text/html; charset=utf-8", body)
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        # Everything else: a short German text, no page of the site, and the connection closed.
        title = ERROR_TEXT.get(code, "Fehler")
        body = f"{code} {title}{': ' + explain if explain else ''}\n".encode()
        self.send_body_headers(code, "text/plain; charset=utf-8", body, ("Connection", "close"), message=message)
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def html_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def log_message(self, format, *args):  # quieter than the default
        pass


class DevServer(ThreadingHTTPServer):
    """The dev server's socket: IPv6 when the host is an IPv6 address (`make serve HOST=::1`);
    a request that fails is one line in the terminal, not a traceback."""

    daemon_threads = True

    def __init__(self, address, handler):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return  # the browser went away (a closed tab, a cancelled reload)
        print(f"[serve] Anfrage von {client_address[0]} fehlgeschlagen: {error!r}", file=sys.stderr, flush=True)
        if os.environ.get("WACHHUND_DEBUG"):
            traceback.print_exc()


class BuildState:
    """The outcome of the latest build, for the open pages: a number that grows
    with every build, whether it worked, and what the build said if not."""

    def __init__(self):
        self.changed = threading.Condition()
        # Counted from the start time: after a restart the open pages still see a new number.
        self.number, self.ok, self.error = time.time_ns() // 1_000_000, True, ""

    def publish(self, ok: bool, error: str) -> None:
        with self.changed:
            self.number += 1
            self.ok, self.error = ok, error
            self.changed.notify_all()

    def next_after(self, number: int, timeout: float) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.number != number, timeout)
            return {"build": self.number, "ok": self.ok, "error": self.error}


class LiveHandler(Handler):
    """The dev server's handler: HTML gets the live script; /__wachhund/ serves it and the events."""

    state: BuildState = None
    keepalive = 15.0

    def do_GET(self):
        route = self.path.split("?", 1)[0]
        if route == "/__wachhund/events":
            return self.stream_events()
        if route == "/__wachhund/live.js":
            body = LIVE_SCRIPT.read_bytes()
            self.send_body_headers(200, "text/javascript; charset=utf-8", body, ("Cache-Control", "no-store"))
            self.wfile.write(body)
            return None
        return super().do_GET()

    def send_head(self):
        path = self.translate_path(self.path)
        # os.path, not pathlib: a name too long for the file system is "not there" (404), not an error.
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        path = Path(path)
        if path.suffix != ".html" or not os.path.isfile(path):
            return super().send_head()
        body, version = self.live_page(path)
        # no-store: a reload must show the new build
        self.send_body_headers(200, "text/html; charset=utf-8", body, ("Cache-Control", "no-store"),
                               ("X-Wachhund-Version", version))
        return io.BytesIO(body)

    def html_bytes(self, path: Path) -> bytes:
        return self.live_page(path)[0]

    @staticmethod
    def live_page(path: Path) -> tuple[bytes, str]:
        """The page with the live script, and a hash of the page as built."""
        body = path.read_bytes()
        version = hashlib.sha256(body).hexdigest()[:16]
        tag = LIVE_TAG.format(version).encode()
        end = body.rfind(b"</body>")
        return (body[:end] + tag + body[end:] if end >= 0 else body + tag), version

    def stream_events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        number = -1  # the first message is the current state
        try:
            self.wfile.write(b"retry: 300\n\n")  # reconnect quickly after a restart
            while True:
                state = self.state.next_after(number, self.keepalive)
                if state["build"] == number:
                    self.wfile.write(b": still here\n\n")  # finds closed connections
                else:
                    number = state["build"]
                    self.wfile.write(f"data: {json.dumps(state, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class FullBuild:
    """The cold build in a fresh process (new YAML, new templates, new plugin code),
    started at once after every change and stopped when a newer change comes."""

    def __init__(self):
        self.started = time.perf_counter()
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "-m", "wachhund.commands.build"], cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def done(self) -> bool:
        return self.proc.poll() is not None

    def stop(self) -> None:
        """Stop the build and its Pagefind processes; its staging folder is removed by the next build."""
        if not self.done():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.log.close()

    def report(self, state: BuildState) -> bool:
        self.log.seek(0)
        said = self.log.read()
        self.log.close()
        sys.stderr.write(said)  # the terminal shows what it always showed
        ok = self.proc.returncode == 0
        if ok:
            print(f"[serve] neu gebaut in {time.perf_counter() - self.started:.2f} s", flush=True)
        else:
            print("[serve] Build fehlgeschlagen – die alte Fassung wird weiter ausgeliefert.", flush=True)
        state.publish(ok, "\n".join(line for line in said.splitlines() if line.strip() and not line.startswith(NOISE)))
        return ok


class Warm:
    """The preview's context (wachhund/commands/preview.py), read in a background thread and
    read again after a change that is not a post's text."""

    def __init__(self):
        self.site = None
        self.loading = False
        self.wanted = False  # a load is due once the running one ends
        self.lock = threading.Lock()

    def invalidate(self) -> None:
        with self.lock:
            self.site = None
            if self.loading:
                self.wanted = True
                return
            self.loading = True
        threading.Thread(target=self._load, daemon=True).start()

    def failed(self) -> bool:
        with self.lock:
            return self.site is None and not self.loading

    def ready(self):
        with self.lock:
            return None if self.loading else self.site

    def _load(self) -> None:
        from wachhund.commands.preview import WarmSite

        while True:
            scratch = Path(tempfile.mkdtemp(prefix=".output-warm-", dir=ROOT))
            try:
                site = WarmSite.load(ROOT / "pelicanconf.py", scratch)
            except Exception:  # noqa: BLE001 - the full build reports it; no preview until the next load
                site = None
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            with self.lock:
                if self.wanted:
                    self.wanted = False
                    continue
                self.site, self.loading = site, False
                if site is not None:
                    print("[serve] Schnellvorschau bereit", flush=True)
                return


def classify(changes, site) -> tuple[set, list[Path], bool]:
    """Sort one batch of changes: (kinds, edited posts and pages, plugin code changed).
    kinds holds "text" for edits a preview can show and "other" for everything else."""
    kinds, edited, code = set(), [], False
    for _change, name in changes:
        path = Path(name)
        if PLUGINS in path.parents:
            code = code or path.suffix == ".py"
            kinds.add("other")
        elif site is not None and path.suffix == ".md" and path.exists() and site.knows(path):
            edited.append(path)
            kinds.add("text")
        elif not path.exists() and CONTENT in path.parents and not (site is not None and site.knows(path)):
            continue  # an editor's temporary file, gone again
        else:
            kinds.add("other")
    return kinds, sorted(set(edited)), code


def preview(site, edited: list[Path], state: BuildState) -> bool:
    """Show the edited posts at once; the full build follows. False if the
    preview's context no longer matches the sources."""
    from wachhund.commands.preview import NotPreviewable

    started = time.perf_counter()
    try:
        for path in edited:
            site.render(site.refresh(path), ROOT / "output")
    except NotPreviewable as why:
        print(f"[serve] keine Schnellvorschau ({why}): warte auf den Build", flush=True)
        return False
    except Exception as exc:  # noqa: BLE001 - the reader's error for this file, shown at once
        # In the page and in the terminal: the full build that would also say it may be
        # stopped by the next save before it ends.
        print(f"[serve] {exc}", file=sys.stderr, flush=True)
        state.publish(False, str(exc))
        return True
    if state.ok:  # after a failed build only the full build may say the site is fine again
        state.publish(True, "")
        names = ", ".join(p.name for p in edited)
        print(f"[serve] Schnellvorschau {names} in {time.perf_counter() - started:.2f} s", flush=True)
    return True


def restart(server) -> None:
    """Plugin code changed: this process holds the old code, so it starts afresh."""
    print("[serve] Plugin-Code geändert: der Server startet neu", flush=True)
    server.shutdown()
    server.server_close()
    os.execv(sys.executable, [sys.executable, "-m", __spec__.name, *sys.argv[1:]])


def watch_into(changes: queue.Queue, paths, ready: threading.Event) -> None:
    # The first yield (a change or an empty timeout) means the watcher is installed.
    for batch in watch(*paths, watch_filter=lambda _c, p: "__pycache__" not in p,
                       yield_on_timeout=True, rust_timeout=200):
        ready.set()
        if batch:
            changes.put(batch)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.getLogger().addHandler(logging.NullHandler())  # the full build prints; previews only report
    from pelican.settings import read_settings
    from wachhund.lib.settings import SettingsError

    try:
        names = allowed_names(read_settings(str(ROOT / "pelicanconf.py")))
    except SettingsError as error:
        print(f"pelicanconf.py: {error}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - a broken pelicanconf.py: the build below says what is wrong
        names = frozenset()
    state = BuildState()
    # Watch before the first build: a save during it (or right after a restart) is not lost.
    changes, watching = queue.Queue(), threading.Event()
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()]
    threading.Thread(target=watch_into, args=(changes, paths, watching), daemon=True).start()
    watching.wait(timeout=10)
    warm = Warm()
    warm.invalidate()  # read in the background while the first build runs
    build = FullBuild()
    while not build.done():
        time.sleep(0.05)
    build.report(state)
    build = None
    output = ROOT / "output"
    output.mkdir(exist_ok=True)
    LiveHandler.state = state
    LiveHandler.allowed_names = names
    handler = functools.partial(LiveHandler, directory=str(output))
    server = DevServer((args.host, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[serve] http://{args.host}:{args.port}/ – Strg+C beendet.", flush=True)
    try:
        while True:
            try:
                batch = set(changes.get(timeout=0.05))
                while not changes.empty():
                    batch |= changes.get()
            except queue.Empty:
                batch = None
            if build is not None and build.done():
                if build.report(state) and warm.failed():
                    warm.invalidate()  # the last load failed: read again now that the site builds
                build = None
            if not batch:
                continue
            names = sorted({Path(p).name for _c, p in batch})
            print(f"[serve] Änderung: {', '.join(names)}", flush=True)
            if build is not None:
                build.stop()  # it read the sources before this change
            site = warm.ready()
            kinds, edited, code = classify(batch, site)
            if code:
                restart(server)
            if "other" in kinds or (edited and not preview(site, edited, state)):
                warm.invalidate()
            build = FullBuild()
    except KeyboardInterrupt:
        pass
    finally:
        if build is not None:
            build.stop()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
