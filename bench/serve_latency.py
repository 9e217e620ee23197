"""Measure `make serve`: seconds from saving a post to the changed page being served.

    python bench/serve_latency.py [ROUNDS]

Runs tools/serve.py on a copy of the real site, appends a sentence to a post,
and polls the page over HTTP until the sentence appears.
"""

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
POST = "content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md"
URL_PATH = "/2026/open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main(argv):
    rounds = int(argv[0]) if argv else 5
    with tempfile.TemporaryDirectory(prefix="wachhund-serve-") as tmp:
        project = Path(tmp)
        for name in ("content", "data", "theme", "tools"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
        (project / "plugins").symlink_to(ROOT / "plugins")
        port = free_port()
        proc = subprocess.Popen([sys.executable, str(project / "tools/serve.py"), "--port", str(port)],
                                cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}{URL_PATH}"
        try:
            deadline = time.monotonic() + 120
            while "Open Data" not in fetch(url):
                if time.monotonic() > deadline:
                    raise SystemExit("serve did not come up")
                time.sleep(0.1)
            times = []
            for number in range(rounds):
                marker = f"Messpunkt {number} {time.time_ns()}"
                post = project / POST
                started = time.perf_counter()
                post.write_text(post.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                while marker not in fetch(url):
                    time.sleep(0.05)
                times.append(time.perf_counter() - started)
                time.sleep(1.0)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"save -> served: median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s ({rounds} saves)")


if __name__ == "__main__":
    main(sys.argv[1:])
