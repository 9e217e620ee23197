"""`make serve`: build, serve output/ on 127.0.0.1, rebuild on every change.

Pelican's own autoreload neither watches data/ nor re-imports plugins, so we
watch content/, data/, theme/, plugins/ and the settings ourselves. Every
change starts a full, cold build in a fresh process (new YAML, new plugin
code); a newer change stops a build that is still running. The server keeps
serving the previous site until a build succeeds (see tools/build.py).

A saved post or page does not wait for that build: this process keeps the
whole site read (tools/preview.py) and writes the edited page into output/
at once; the full build follows and replaces output/ with what a cold build
makes. A change in plugins/ restarts this process (it holds the old code).

The open page follows the author: the dev server adds a small same-origin
script (tools/live/live.js) to every HTML page it serves and tells it about
each build over Server-Sent Events (/__wachhund/events). After a successful
build the page reloads if it changed; a failed build's message is shown in
the page. Only the served bytes change: output/ and `make publish` never
contain the script.
"""

import argparse
import functools
import hashlib
import io
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "data", "theme", "plugins", "pelicanconf.py"]
CONTENT, PLUGINS = ROOT / "content", ROOT / "plugins"
LIVE_SCRIPT = Path(__file__).resolve().parent / "live" / "live.js"
LIVE_TAG = '<script src="/__wachhund/live.js" data-version="{}" defer></script>'
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
        body, version = self.live_page(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.send_header("X-Wachhund-Version", version)
        self.end_headers()
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
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "build.py")], cwd=ROOT,
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
    """The preview's context (tools/preview.py), read in a background thread and
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
        from preview import WarmSite

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
    from preview import NotPreviewable

    started = time.perf_counter()
    try:
        for path in edited:
            site.render(site.refresh(path), ROOT / "output")
    except NotPreviewable as why:
        print(f"[serve] keine Schnellvorschau ({why}): warte auf den Build", flush=True)
        return False
    except Exception as exc:  # noqa: BLE001 - the reader's error for this file, shown at once
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
    os.execv(sys.executable, [sys.executable, *sys.argv])


def watch_into(changes: queue.Queue, paths) -> None:
    for batch in watch(*paths, watch_filter=lambda _c, p: "__pycache__" not in p):
        changes.put(batch)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "tools"))
    logging.getLogger().addHandler(logging.NullHandler())  # the full build prints; previews only report
    state = BuildState()
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
    handler = functools.partial(LiveHandler, directory=str(output))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[serve] http://{args.host}:{args.port}/ – Strg+C beendet.", flush=True)
    changes = queue.Queue()
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()]
    threading.Thread(target=watch_into, args=(changes, paths), daemon=True).start()
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
