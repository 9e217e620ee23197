"""Edit-to-preview: seconds from saving a post to the changed page being served.

    python bench/serve_latency.py [--rounds R] [POSTS ...]     (default: 1000)

For each size, a synthetic site (bench/generate.py) is served twice, side by
side in one run: by `make serve` (wachhund/commands/serve.py) and by Pelican's own
`pelican --autoreload --listen` with the same posts and core settings and no
plugins (bench/generate.py's bare.py). Each round appends a sentence to one
post and polls its page over HTTP every 20 ms until the sentence is served,
as an author's reload would; then it waits until the server has finished
all work for that save before the next round. Medians.
"""

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

POST = "content/posts/post-00007.md"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def page_of(output: Path, title: str) -> str:
    """The URL path of the page whose <h1> is the post's title."""
    for page in sorted(output.rglob("index.html")):
        if re.search(rf"<h1[^>]*>\s*(<a[^>]*>)?{re.escape(title)}", page.read_text(encoding="utf-8")):
            return "/" + str(page.parent.relative_to(output)).strip(".") + "/"
    raise SystemExit(f"no page with the title {title!r} in {output}")


class Server:
    def __init__(self, name, cmd, cwd, output, log):
        self.name, self.output, self.log_path = name, output, log
        self.log = open(log, "w+", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT)

    def said(self, text: str) -> int:
        return self.log_path.read_text(encoding="utf-8", errors="replace").count(text)

    def wait_for(self, condition, what, timeout=900):
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{self.name}: {what} did not happen\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def measure(server, post, url, idle_text, rounds):
    times = []
    for number in range(rounds):
        marker = f"Messpunkt {number} {time.time_ns()}"
        done_before = server.said(idle_text)
        started = time.perf_counter()
        post.write_text(post.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        while marker not in fetch(url):
            time.sleep(0.02)
        times.append(time.perf_counter() - started)
        server.wait_for(lambda: server.said(idle_text) > done_before, "the rebuild after the save")
        time.sleep(0.5)
    return times


def title_of(post: Path) -> str:
    return re.search(r"^Title: (.*)$", post.read_text(encoding="utf-8"), re.M).group(1)


def make_serve_times(site: Path, post: Path, rounds: int, log: Path) -> list:
    """Edit-to-preview of `make serve` (wachhund/commands/serve.py) on `site`."""
    port = free_port()
    ours = Server("make serve", [sys.executable, "-m", "wachhund.commands.serve", "--port", str(port)], site,
                  site / "output", log)
    try:
        ours.wait_for(lambda: ours.said("Schnellvorschau bereit") and ours.said("Strg+C"), "start-up")
        url = f"http://127.0.0.1:{port}{page_of(site / 'output', title_of(post))}"
        return measure(ours, post, url, "neu gebaut", rounds)
    finally:
        ours.stop()


def run(n, workdir, rounds):
    site = generate(workdir / f"site-{n}", n)
    post = site / POST
    results = {"ours": make_serve_times(site, post, rounds, workdir / f"serve-{n}.log")}
    port = free_port()
    bare_out = site / "out-bare"
    bare = Server("pelican --autoreload --listen",
                  [sys.executable, "-m", "pelican", str(site / "content"), "-s", str(site / "bare.py"),
                   "-o", str(bare_out), "--autoreload", "--listen", "--port", str(port), "--bind", "127.0.0.1"],
                  site, bare_out, workdir / f"pelican-{n}.log")
    try:
        bare.wait_for(lambda: bare.said("Done: Processed") and fetch(f"http://127.0.0.1:{port}/"), "start-up")
        url = f"http://127.0.0.1:{port}{page_of(bare_out, title_of(post))}"
        results["bare"] = measure(bare, post, url, "Done: Processed", rounds)
    finally:
        bare.stop()
    return results


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("posts", type=int, nargs="*")
    args = parser.parse_args(argv)
    rows = []
    # A stopped server's detached clean-up may still be deleting an old output/.
    with tempfile.TemporaryDirectory(prefix="wachhund-serve-", ignore_cleanup_errors=True) as tmp:
        for n in args.posts or [1000]:
            rows.append((n, run(n, Path(tmp), args.rounds)))
            print(f"{n} posts, seconds per save: {rows[-1][1]}", flush=True)
    print("| posts | `pelican --autoreload --listen` | `make serve` | ratio | `make serve` min–max |")
    print("|---:|---:|---:|---:|---:|")
    for n, r in rows:
        bare, ours = statistics.median(r["bare"]), statistics.median(r["ours"])
        print(f"| {n} | {bare:.2f} s | {ours:.2f} s | {ours / bare:.2f}× | {min(r['ours']):.2f}–{max(r['ours']):.2f} s |")


if __name__ == "__main__":
    main(sys.argv[1:])
