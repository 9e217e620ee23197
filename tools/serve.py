"""`make serve`: build, serve output/ on 127.0.0.1, rebuild on every change.

Pelican's own autoreload neither watches data/ nor re-imports plugins, so we
watch content/, data/, theme/, plugins/ and the settings ourselves and run each
rebuild in a fresh process (new YAML, new plugin code). The server keeps
serving the previous site until a rebuild succeeds (see tools/build.py).

The open page follows the author: the dev server adds a small same-origin
script (tools/live/live.js) to every HTML page it serves and tells it about
each build over Server-Sent Events (/__wachhund/events). After a successful
build the page reloads; a failed build's message is shown in the page. Only
the served bytes change: output/ and `make publish` never contain the script.
"""

import argparse
import functools
import io
import json
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "data", "theme", "plugins", "pelicanconf.py"]
LIVE_SCRIPT = Path(__file__).resolve().parent / "live" / "live.js"
LIVE_TAG = b'<script src="/__wachhund/live.js" defer></script>'
NOISE = ("Feeds generated without SITEURL",)  # Pelican's warning for every local build


class Handler(SimpleHTTPRequestHandler):
    """Serves output/ like a static host: our 404 page, optional extra headers."""

    extra_headers: tuple = ()

    def end_headers(self):
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        # Serve our own German 404 page like a real host would.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = self.html_bytes(page)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def html_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def log_message(self, format, *args):  # quieter than the default
        pass


class BuildState:
    """The outcome of the latest build, for the open pages: a number that grows
    with every build, whether it worked, and what the build said if not."""

    def __init__(self):
        self.changed = threading.Condition()
        self.number, self.ok, self.error = 0, True, ""

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
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().do_GET()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = self.html_bytes(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.end_headers()
        return io.BytesIO(body)

    def html_bytes(self, path: Path) -> bytes:
        body = path.read_bytes()
        end = body.rfind(b"</body>")
        return body[:end] + LIVE_TAG + body[end:] if end >= 0 else body + LIVE_TAG

    def stream_events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        number = -1  # the first message is the current state
        try:
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


def rebuild(state: BuildState | None = None) -> bool:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py")], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    sys.stderr.write(result.stderr)  # the terminal shows what it always showed
    took = time.perf_counter() - started
    if result.returncode == 0:
        print(f"[serve] neu gebaut in {took:.2f} s", flush=True)
    else:
        print("[serve] Build fehlgeschlagen – die alte Fassung wird weiter ausgeliefert.", flush=True)
    if state is not None:
        said = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(NOISE)]
        state.publish(result.returncode == 0, "\n".join(said))
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    state = BuildState()
    rebuild(state)
    output = ROOT / "output"
    output.mkdir(exist_ok=True)
    LiveHandler.state = state
    handler = functools.partial(LiveHandler, directory=str(output))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[serve] http://{args.host}:{args.port}/ – Strg+C beendet.", flush=True)
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()]
    try:
        for changes in watch(*paths, watch_filter=lambda _c, p: "__pycache__" not in p):
            names = sorted({Path(p).name for _c, p in changes})
            print(f"[serve] Änderung: {', '.join(names)}", flush=True)
            rebuild(state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
