"""Benchmark: Wachhund's full build vs. bare Pelican on the same synthetic posts.

    python bench/build_bench.py [POSTS ...] [--rounds R] [--profile default|heavy|both]
                                [--links N] [--tables N] [--tags N] [--extra]

Without options: 1000 posts, 5 rounds, both profiles (the bounds of issue 24).
A profile shapes the posts (bench/generate.py): "default" is 3 links, one OZG
directive (a table or a summary) and 3 tags per post; "heavy" is 8 links,
1 status table and 20 tags. --links/--tables/--tags change one profile (the
default one unless --profile names another). Bare Pelican builds the same posts
with the same core settings and no plugins (bench/generate.py's bare.py).

Rounds interleave (bare, ours, bare, ours, ... over every size and profile), so
a shared machine's load hits both sides alike. Each cold build starts with no
previous output and runs in a fresh process; os.wait4 gives its wall time, CPU
time (with children, e.g. Pagefind) and peak RSS (of the build or of its largest
child). A ratio is ours / bare within one round; the table shows the median of
the rounds and their min-max, and PASS or FAIL against the bounds: time ratio
at most 1.10, memory ratio at most 1.5.

--extra adds, per round, a rebuild after appending a sentence to one post (over
the site just built; there is no cache between builds, so a rebuild does the
work of a cold build) and our build without Pagefind; it doubles the run time.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import DEFAULT_LINKS, DEFAULT_TAGS, add_shape_options, generate

PY = sys.executable
PROFILES = {
    "default": {"links": DEFAULT_LINKS, "tables": None, "tags": DEFAULT_TAGS},
    "heavy": {"links": 8, "tables": 1, "tags": 20},
}
TIME_BOUND = 1.10
MEMORY_BOUND = 1.5


def measure(cmd, cwd):
    """Wall seconds, CPU seconds (with children) and peak RSS in MiB of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{stderr[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ours_cmd(site: Path, out: str, *extra: str):
    return [PY, "-m", "wachhund.commands.build", "-s", str(site / "pelicanconf.py"), "-o", str(site / out), *extra]


def no_previous_output(site: Path) -> None:
    """Every cold build starts without a previous site. Bare Pelican deletes its previous
    output inside its build (DELETE_OUTPUT_DIRECTORY), ours in a detached process after
    the swap (wachhund/commands/build.py); left in place, the one would bill bare Pelican for seconds
    of unlinking and the other would run beside the next build."""
    while leftovers := [path for path in (site / "out-bare", site / "out-ours", site / "out-nopf",
                                          *site.glob(".out-*-old-*")) if path.exists()]:
        for path in leftovers:
            shutil.rmtree(path, ignore_errors=True)  # may race the detached delete: look again
        time.sleep(0.01)


def measure_round(site: Path, number: int, extra: bool) -> dict:
    bare_cmd = [PY, "-m", "pelican", str(site / "content"), "-s", str(site / "bare.py"), "-o", str(site / "out-bare"),
                "--log-handler", "plain", "-q", "--ignore-cache"]
    figures = {}
    no_previous_output(site)
    figures["bare_s"], figures["bare_cpu"], figures["bare_mib"] = measure(bare_cmd, site)
    no_previous_output(site)
    figures["ours_s"], figures["ours_cpu"], figures["ours_mib"] = measure(ours_cmd(site, "out-ours"), site)
    if extra:
        post = site / "content/posts/post-00007.md"
        post.write_text(post.read_text(encoding="utf-8") + f"\nEin geänderter Satz ({number}).\n", encoding="utf-8")
        # Over the site just built, as an author's next build.
        figures["rebuild_s"], _, _ = measure(ours_cmd(site, "out-ours"), site)
        no_previous_output(site)
        figures["nopf_s"], _, figures["nopf_mib"] = measure(ours_cmd(site, "out-nopf", "-e", "PAGEFIND=false"), site)
    pairs = {"s": ("ours_s", "bare_s"), "cpu": ("ours_cpu", "bare_cpu"), "mib": ("ours_mib", "bare_mib")}
    if extra:
        pairs.update(nopf_s=("nopf_s", "bare_s"), nopf_mib=("nopf_mib", "bare_mib"), rebuild_s=("rebuild_s", "bare_s"))
    for name, (mine, base) in pairs.items():
        figures[f"ratio_{name}"] = figures[mine] / figures[base]
    return figures


def spread(values, fmt):
    """'median (min–max)' of the rounds."""
    values = list(values)
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table(results: dict, extra: bool) -> list:
    head = ["posts", "profile", "bare Pelican s", "Wachhund s", "time ratio", "CPU ratio",
            "peak MiB bare", "peak MiB ours", "memory ratio"]
    if extra:
        head += ["w/o Pagefind s", "ratio", "peak MiB w/o Pagefind", "ratio", "rebuild 1 post s", "ratio"]
    head.append(f"≤ {TIME_BOUND:.2f}× time, ≤ {MEMORY_BOUND:.1f}× memory")
    lines = ["| " + " | ".join(head) + " |", "|---:|:---|" + "---:|" * (len(head) - 3) + ":---|"]
    for (posts, profile), rounds in results.items():
        column = lambda key: [r[key] for r in rounds]  # noqa: E731
        time_ratio = statistics.median(column("ratio_s"))
        memory_ratio = statistics.median(column("ratio_mib"))
        failed = [what for what, ratio, bound in (("time", time_ratio, TIME_BOUND), ("memory", memory_ratio, MEMORY_BOUND))
                  if ratio > bound]
        cells = [str(posts), profile, spread(column("bare_s"), "{:.1f}"), spread(column("ours_s"), "{:.1f}"),
                 spread(column("ratio_s"), "{:.2f}×"), spread(column("ratio_cpu"), "{:.2f}×"),
                 spread(column("bare_mib"), "{:.0f}"), spread(column("ours_mib"), "{:.0f}"),
                 spread(column("ratio_mib"), "{:.2f}×")]
        if extra:
            cells += [spread(column("nopf_s"), "{:.1f}"), spread(column("ratio_nopf_s"), "{:.2f}×"),
                      spread(column("nopf_mib"), "{:.0f}"), spread(column("ratio_nopf_mib"), "{:.2f}×"),
                      spread(column("rebuild_s"), "{:.1f}"), spread(column("ratio_rebuild_s"), "{:.2f}×")]
        cells.append("FAIL (" + ", ".join(failed) + ")" if failed else "PASS")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def shape_name(shape: dict) -> str:
    for name, profile in PROFILES.items():
        if shape == profile:
            return name
    tables = "1 directive" if shape["tables"] is None else f"{shape['tables']} tables"
    return f"{shape['links']} links, {tables}, {shape['tags']} tags"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, nargs="*", default=[1000])
    parser.add_argument("--rounds", "--repeat", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--profile", choices=[*PROFILES, "both"], help="default: both, or default with --links/--tables/--tags")
    parser.add_argument("--extra", action="store_true", help="also w/o Pagefind and a rebuild after one edit")
    add_shape_options(parser)
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    overrides = {key: getattr(args, key) for key in ("links", "tables", "tags") if getattr(args, key) is not None}
    if overrides and args.profile == "both":
        parser.error("--links/--tables/--tags change one profile; name it with --profile default or heavy")
    profile = args.profile or ("default" if overrides else "both")
    names = list(PROFILES) if profile == "both" else [profile]
    shapes = {shape_name({**PROFILES[name], **overrides}): {**PROFILES[name], **overrides} for name in names}
    load_before = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wachhund-bench-") as tmp:
        sites = {(posts, name): generate(Path(tmp) / f"site-{posts}-{index}", posts, **shape)
                 for posts in args.posts for index, (name, shape) in enumerate(shapes.items())}
        results = {key: [] for key in sites}
        for number in range(args.rounds):
            for key, site in sites.items():
                results[key].append(measure_round(site, number, args.extra))
                last = results[key][-1]
                print(f"round {number + 1}/{args.rounds}, {key[0]} posts, {key[1]}: bare {last['bare_s']:.1f} s, "
                      f"ours {last['ours_s']:.1f} s ({last['ratio_s']:.2f}×)", file=sys.stderr, flush=True)
    print("\n".join(table(results, args.extra)))
    print(f"\n{args.rounds} interleaved rounds, medians (min–max); {os.cpu_count()} CPUs; "
          f"load average (1, 5, 15 min) {' '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after; {time.perf_counter() - started:.0f} s in all.")


if __name__ == "__main__":
    main()
