"""The author's commands besides the build: make newpost."""

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

from tests.support import ROOT, build_site



def test_newpost_creates_a_post_that_builds(project, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "wachhund.commands.newpost", "Straße zum Bürgeramt: ein Test"],
        cwd=project, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    path = project / "content/posts" / f"{today.isoformat()}-strasse-zum-buergeramt-ein-test.md"
    assert path.is_file()
    assert path.read_text(encoding="utf-8").startswith("Title: Straße zum Bürgeramt: ein Test\nDate: ")
    again = subprocess.run([sys.executable, "-m", "wachhund.commands.newpost", "Straße zum Bürgeramt: ein Test"],
                           cwd=project, capture_output=True, text=True)
    assert again.returncode == 1 and "not overwritten" in again.stderr
    out = tmp_path / "out"
    built = build_site(project, out)
    assert built.returncode == 0, built.stderr
    assert (out / str(today.year) / "strasse-zum-buergeramt-ein-test/index.html").is_file()


def test_next_build_removes_what_killed_builds_left(project, tmp_path):
    """A build killed mid-way leaves its staging folder; the next build removes it,
    but never the folder of a build that is still running."""
    import os
    import signal
    import time

    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    (project / "cache" / "0123abcd").mkdir(parents=True)  # an older version's content cache
    victim = subprocess.Popen([sys.executable, "-m", "wachhund.commands.build", "-s", str(project / "pelicanconf.py"),
                               "-o", str(out)], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out-build-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    left = list(tmp_path.glob(".out-build-*"))
    assert left, "the killed build should have left its staging folder"
    alive = tmp_path / f".out-build-{os.getpid()}-running"  # this test process is alive
    alive.mkdir()
    assert build_site(project, out).returncode == 0
    assert [p.name for p in tmp_path.glob(".out-build-*")] == [alive.name]
    assert not (project / "cache").exists()
    assert (out / "index.html").is_file()


def test_swap_never_leaves_the_site_missing(tmp_path):
    """make serve reads output/ while builds replace it: a reader polling the path
    in another process must find the site every time."""
    from wachhund.commands.build import swap

    target = tmp_path / "output"
    target.mkdir()
    (target / "index.html").write_text("0")
    poller = subprocess.Popen(
        ["bash", "-c", f'n=0; while [ ! -e "{tmp_path}/stop" ]; do [ -e "{target}/index.html" ] || n=$((n+1)); done; echo $n'],
        stdout=subprocess.PIPE, text=True)
    try:
        for number in range(1, 400):
            staging = tmp_path / f".output-build-{number}"
            staging.mkdir()
            (staging / "index.html").write_text(str(number))
            swap(staging, target)
    finally:
        (tmp_path / "stop").touch()
        try:
            missing = int(poller.communicate(timeout=60)[0])
        finally:
            poller.kill()
    assert missing == 0
    assert (target / "index.html").read_text() == "399"
