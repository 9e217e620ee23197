"""`make serve`: build, serve output/ on 127.0.0.1, rebuild on every change.

Pelican's own autoreload neither watches data/ nor re-imports plugins, so we
watch content/, data/, theme/, plugins/ and the settings ourselves and run each
rebuild in a fresh process (new YAML, new plugin code). The server keeps
serving the previous site until a rebuild succeeds (see tools/build.py).
"""

import argparse
import functools
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "data", "theme", "plugins", "pelicanconf.py"]


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
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # quieter than the default
        pass


def rebuild() -> bool:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py")], cwd=ROOT)
    took = time.perf_counter() - started
    if result.returncode == 0:
        print(f"[serve] neu gebaut in {took:.2f} s", flush=True)
    else:
        print("[serve] Build fehlgeschlagen – die alte Fassung wird weiter ausgeliefert.", flush=True)
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    rebuild()
    output = ROOT / "output"
    output.mkdir(exist_ok=True)
    handler = functools.partial(Handler, directory=str(output))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[serve] http://{args.host}:{args.port}/ – Strg+C beendet.", flush=True)
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()]
    try:
        for changes in watch(*paths, watch_filter=lambda _c, p: "__pycache__" not in p):
            names = sorted({Path(p).name for _c, p in changes})
            print(f"[serve] Änderung: {', '.join(names)}", flush=True)
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
