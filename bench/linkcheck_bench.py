"""Benchmark: our link checker vs. lychee on the same links, served from 127.0.0.1.

    python bench/linkcheck_bench.py [URLS]      (default 600)

Ten local servers stand in for ten hosts; each answer takes 20 ms; one link in
ten is a 404. Both tools get the same Markdown file and the same global
concurrency (16). Our checker runs with --all and no per-host interval (the
politeness delay would otherwise dominate). Prints wall time, peak memory and
ratios.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LYCHEE = Path(PY).with_name("lychee")


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self):
        time.sleep(0.02)
        status = 404 if self.path.endswith("7") else 200
        body = b"<html>ok</html>"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    do_GET = do_HEAD = _answer


def measure(cmd, cwd, env=None):
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main(argv):
    total = int(argv[0]) if argv else 600
    servers = []
    for _ in range(10):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    urls = [f"http://127.0.0.1:{servers[i % 10].server_address[1]}/seite/{i}" for i in range(total)]
    with tempfile.TemporaryDirectory(prefix="wachhund-linkbench-") as tmp:
        project = Path(tmp)
        (project / "content/posts").mkdir(parents=True)
        (project / "data").mkdir()
        shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
        (project / "plugins").symlink_to(ROOT / "plugins")
        doc = "Title: Links\nDate: 2026-11-01\n\n" + "\n".join(f"- <{u}>" for u in urls) + "\n"
        (project / "content/posts/links.md").write_text(doc, encoding="utf-8")
        ours = [PY, "-m", "link_health.check", "--root", str(project), "--all", "--allow-private",
                "--concurrency", "16", "--per-host", "16", "--host-interval", "0", "--retries", "0"]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
        lychee = [str(LYCHEE), "--no-progress", "--max-concurrency", "16", "--max-retries", "0",
                  "--cache-exclude-status", "100..", str(project / "content/posts/links.md")]
        ours_t, ours_m = measure(ours, project, env)
        lychee_t, lychee_m = measure(lychee, project)
    for server in servers:
        server.shutdown()
    print("| links | lychee | Wachhund checker | ratio | peak MiB lychee | peak MiB ours | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {total} | {lychee_t:.2f} s | {ours_t:.2f} s | {ours_t / lychee_t:.2f}× | {lychee_m:.0f} | {ours_m:.0f} | {ours_m / lychee_m:.2f}× |")


if __name__ == "__main__":
    main(sys.argv[1:])
