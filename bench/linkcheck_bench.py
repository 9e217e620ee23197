"""Benchmark: our link checker vs. lychee on the same links, served from 127.0.0.1.

    python bench/linkcheck_bench.py [URLS] [--hosts H] [--repeat R]   (default 600, 10 hosts, 3 rounds)

H local servers stand in for H hosts; each answer takes 20 ms; one link in
ten is a 404. One unmeasured warm-up run each, then rounds alternate (ours,
lychee, ours, …); medians are printed. Our state file is kept between rounds,
as between real runs. Both tools get the same Markdown file and the same limits: 16
requests at a time, 16 per host, no minimum interval per host (all servers
share the host name 127.0.0.1, so the politeness delay would otherwise
dominate), no retries. Prints wall time, peak memory and ratios.
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
    # Headers and body leave in one write, as from nginx or Apache. Unbuffered, they go
    # out as two small segments, and the second waits for the client's delayed ACK
    # (Nagle): 40 ms on every GET, an artefact of http.server, not of any client.
    wbufsize = -1

    def log_message(self, *args):
        pass

    seen = []

    def _answer(self):
        Slow.seen.append(self.path)
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
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = proc.stdout.read().decode(errors="replace")
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def main(argv):
    import argparse
    import statistics

    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="?", type=int, default=600)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    total, hosts = args.urls, args.hosts
    servers = []
    for _ in range(hosts):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    urls = [f"http://127.0.0.1:{servers[i % hosts].server_address[1]}/seite/{i}" for i in range(total)]
    with tempfile.TemporaryDirectory(prefix="wachhund-linkbench-") as tmp:
        project = Path(tmp)
        (project / "content/posts").mkdir(parents=True)
        (project / "data").mkdir()
        shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
        (project / "plugins").symlink_to(ROOT / "plugins")
        (project / "theme").symlink_to(ROOT / "theme")
        doc = "Title: Links\nDate: 2026-11-01\n\n" + "\n".join(f"- <{u}>" for u in urls) + "\n"
        (project / "content/posts/links.md").write_text(doc, encoding="utf-8")
        ours = [PY, "-m", "wachhund.commands.linkcheck", "--root", str(project), "--all", "--allow-private",
                "--concurrency", "16", "--per-host", "16", "--host-interval", "0", "--retries", "0"]
        # Bytecode cached as on an author's machine (some shells set PYTHONDONTWRITEBYTECODE;
        # then every run would compile our modules again), kept out of the repository.
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(project / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        lychee = [str(LYCHEE), "--no-progress", "--max-concurrency", "16", "--max-retries", "0",
                  "--host-concurrency", "16", "--host-request-interval", "0ms",
                  "--cache-exclude-status", "100..", str(project / "content/posts/links.md")]
        measure(ours, project, env)  # warm-up, not counted: bytecode, page cache, the servers' threads
        measure(lychee, project)
        rounds = []
        for _ in range(args.repeat):
            ours_t, ours_m, ours_out = measure(ours, project, env)
            lychee_t, lychee_m, lychee_out = measure(lychee, project)
            rounds.append((ours_t, ours_m, lychee_t, lychee_m))
        ours_t, ours_m, lychee_t, lychee_m = (statistics.median(r[i] for r in rounds) for i in range(4))
    print("ours:", " ".join(ours_out.split()[-40:]))
    print("lychee:", " ".join(lychee_out.split()[-40:]))
    for server in servers:
        server.shutdown()
    print("| links | hosts | lychee | Wachhund checker | ratio | peak MiB lychee | peak MiB ours | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {total} | {hosts} | {lychee_t:.2f} s | {ours_t:.2f} s | {ours_t / lychee_t:.2f}× | {lychee_m:.0f} | {ours_m:.0f} | {ours_m / lychee_m:.2f}× |")


if __name__ == "__main__":
    main(sys.argv[1:])
