"""Benchmark: Wachhund's full build vs. bare Pelican on the same synthetic posts.

    python bench/build_bench.py [--repeat R] [N ...]        (default: 1000 5000, R = 1)

For each N: full build wall time and peak memory of each, their ratios, and a
rebuild after editing one post against bare Pelican's full build (there is no
cache between builds, so a rebuild does the work of a cold build). Runs each measurement in a fresh process (os.wait4 gives
the peak RSS of that process or of its largest child, e.g. one Pagefind run).
With --repeat, the rounds interleave (bare, ours, bare, ours, ...) and the
median of each figure is printed: a shared machine's noise hits both sides.
"""

import statistics

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def measure(cmd, cwd):
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # MiB


def run(n: int, workdir: Path, repeat: int = 1):
    site = generate(workdir / f"site-{n}", n)
    rounds = [measure_round(site, number) for number in range(repeat)]
    return {"n": n, **{key: statistics.median(r[key] for r in rounds) for key in rounds[0]}}


def measure_round(site: Path, number: int):
    ours_cmd = [PY, "-m", "wachhund.commands.build", "-s", str(site / "pelicanconf.py"), "-o", str(site / "out-ours")]
    bare_cmd = [PY, "-m", "pelican", str(site / "content"), "-s", str(site / "bare.py"), "-o", str(site / "out-bare"),
                "--log-handler", "plain", "-q", "--ignore-cache"]
    shutil.rmtree(site / "cache", ignore_errors=True)
    bare_t, bare_m = measure(bare_cmd, site)
    ours_t, ours_m = measure(ours_cmd, site)  # cold: no cache
    post = site / "content/posts/post-00007.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\nEin geänderter Satz ({number}).\n", encoding="utf-8")
    rebuild_t, _ = measure(ours_cmd, site)
    env_cmd = [PY, "-m", "wachhund.commands.build", "-s", str(site / "pelicanconf.py"), "-o", str(site / "out-nopf"),
               "-e", "PAGEFIND=false"]
    shutil.rmtree(site / "cache", ignore_errors=True)
    nopf_t, nopf_m = measure(env_cmd, site)
    return {
        "bare_s": bare_t, "bare_mib": bare_m, "ours_s": ours_t, "ours_mib": ours_m,
        "rebuild_s": rebuild_t, "ours_nopagefind_s": nopf_t, "ours_nopagefind_mib": nopf_m,
    }


def main(argv):
    repeat = 1
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    sizes = [int(a) for a in argv] or [1000, 5000]
    with tempfile.TemporaryDirectory(prefix="wachhund-bench-") as tmp:
        rows = [run(n, Path(tmp), repeat) for n in sizes]
    print("| posts | bare Pelican | Wachhund | ratio | Wachhund w/o Pagefind | ratio | peak MiB bare | peak MiB ours | ratio | peak MiB w/o Pagefind | ratio | rebuild 1 post | rebuild / bare |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']} | {r['bare_s']:.1f} s | {r['ours_s']:.1f} s | {r['ours_s'] / r['bare_s']:.2f}× "
            f"| {r['ours_nopagefind_s']:.1f} s | {r['ours_nopagefind_s'] / r['bare_s']:.2f}× "
            f"| {r['bare_mib']:.0f} | {r['ours_mib']:.0f} | {r['ours_mib'] / r['bare_mib']:.2f}× "
            f"| {r['ours_nopagefind_mib']:.0f} | {r['ours_nopagefind_mib'] / r['bare_mib']:.2f}× "
            f"| {r['rebuild_s']:.1f} s | {r['rebuild_s'] / r['bare_s']:.2f}× |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
