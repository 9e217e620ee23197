"""Benchmark: the federal dashboard import and the build at the size of all of NRW.

    python bench/nrw_bench.py [--keys 430] [--services 1500]

Generates a synthetic export (430 regional keys x 1,500 services: country, Land,
5 Regierungsbezirke, 22 kreisfreie Städte, 31 Kreise, 370 Gemeinden) into a
temporary folder, never into data/, and serves it from 127.0.0.1. Then, side by
side on two copies of the real site, one without and one with the imported data:

- `update-ozg ARS=050000000000` from the local server: wall time, peak memory, side by
  side with Python's `csv` module alone reading the same file (the streaming import's
  yardstick: at most 5x its time, at most 400 MiB); a first import and the same data again,
  in --rounds interleaved rounds (median ratio, and its min-max, within a round);
- a full build: wall time and peak memory of each, and the difference;
- a rebuild after editing one post (every build is a cold build);
- `make serve`: from saving a post to its changed page being served (the preview);
- the size of output/ and of the ranking page.

Each step runs in a fresh process; os.wait4 gives its peak RSS.

    python bench/nrw_bench.py --instructions

counts instructions instead (valgrind's cachegrind, no cache simulation), once each:
the csv module, the first import and the next day (about 4 minutes in all). Unlike
time on a virtual machine, the count does not drift, so it shows a change of a few
per cent in one run; it leaves out what memory costs (page faults, cache misses).
"""

import argparse
import functools
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from build_bench import measure
from serve_latency import make_serve_times

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

from wachhund.ozg.settings import KREISFREIE_STAEDTE_NRW

FIELDS = ["leika_key", "leika_name", "leika_bezeichnung", "ars", "ars_name", "ars_federal_state", "bundesland",
          "ozgid", "ozg_bezeichnung", "url", "online_status", "aktiv", "art_flaechendeckung"]
ARTEN = ["bundesweit flächendeckend", "landesweit flächendeckend", "kreisweit flächendeckend",
         "in mind. einer Kommune verfügbar", "nicht in Auswertung berücksichtigt"]


# The yardstick: Python's csv module reading the export, nothing else.
CSV_ONLY = """
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    rows = sum(1 for _row in csv.reader(handle, delimiter=";"))
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def regional_keys(total: int) -> list:
    keys = ["000000000000", "050000000000"] + [f"05{rb}000000000" for rb in (1, 3, 5, 7, 9)]
    keys += list(KREISFREIE_STAEDTE_NRW)
    kreise = [f"05{rb}{n:02d}0000000" for rb in (1, 3, 5, 7, 9) for n in range(54, 61)][:31]
    keys += kreise
    gemeinde = 0
    while len(keys) < total:
        kreis = kreise[gemeinde % len(kreise)]
        keys.append(f"{kreis[:5]}{gemeinde:04d}{gemeinde % 1000:03d}")
        gemeinde += 1
    return keys[:total]


def write_export(path: Path, keys: int, services: int, seed: int = 14):
    """A CSV export of made-up rows in the documented record format."""
    import csv

    rng = random.Random(seed)
    mapping = list(csv.DictReader(open(ROOT / "data/sources/ozg_leika_zuordnung_kdn2019.csv", encoding="utf-8")))
    pool = sorted({(m["leika_schluessel"], m["ozg_id"]) for m in mapping
                   if len(m["leika_schluessel"]) == 14 and m["leika_schluessel"].isdigit()}) + [
        (f"99{rng.randrange(10**12):012d}", "") for _ in range(2000)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(FIELDS)
        for ars in regional_keys(keys):
            higher = ars[5:] == "0000000" and ars not in KREISFREIE_STAEDTE_NRW
            for leika, ozgid in rng.sample(pool, services):
                art = rng.choice(ARTEN[:3]) if higher and rng.random() < 0.6 else rng.choice(ARTEN[3:])
                writer.writerow([
                    leika, f"Leistung {leika}", "", ars, f"Gebiet {ars}", "05", "Nordrhein-Westfalen",
                    ozgid if rng.random() < 0.8 else "", "", f"https://dienst.example/{ars}/{leika}",
                    "ok" if rng.random() < 0.7 else "nicht ok", rng.choice(["ja", "ja", "", "nein"]), art,
                ])


def instructions(cmd, cwd) -> int:
    """Instructions `cmd` executes, from cachegrind's summary line."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cachegrind.out"
        subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}", *cmd],
                       cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return next(int(line.split()[1]) for line in out.read_text().splitlines() if line.startswith("summary:"))


def copy_site(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "output", ".output-*", "__pycache__", ".pytest_cache", "cache"))
    return target


def du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=430)
    parser.add_argument("--services", type=int, default=1500)
    parser.add_argument("--import-only", action="store_true", help="only the import and the csv module (no builds)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved import rounds, medians (default 3)")
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind) instead of time")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="wachhund-nrw-", ignore_cleanup_errors=True) as tmp:
        tmp = Path(tmp)
        exports = tmp / "exports"
        exports.mkdir()
        write_export(exports / "050000000000.csv", args.keys, args.services)
        size_mb = (exports / "050000000000.csv").stat().st_size / 1e6
        handler = functools.partial(QuietHandler, directory=str(exports))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{{ars}}.csv"
        bare, full = copy_site(tmp / "without"), copy_site(tmp / "with")
        import_cmd = [PY, "-m", "wachhund.commands.importers.dashboard", "--ars", "050000000000",
                      "--url", url, "--data-dir", str(full / "data/ozg"), "--date", "2026-11-20", "--allow-private"]
        if args.instructions:
            shutil.rmtree(full / "data/ozg/dashboard", ignore_errors=True)
            counts = [instructions(cmd, full) for cmd in (
                [PY, "-c", CSV_ONLY, str(exports / "050000000000.csv")], import_cmd,
                [*import_cmd[:-2], "2026-11-21", "--allow-private"])]
            server.shutdown()
            rows = args.keys * args.services
            print(f"| {rows:,} rows ({size_mb:.0f} MB) | instructions | ÷ csv module |\n|---|---:|---:|")
            for name, count in zip(("csv module alone", "update-ozg, first import", "update-ozg, next day"), counts):
                print(f"| {name} | {count / 1e9:.2f} G | {count / counts[0]:.2f}× |")
            return
        # Rounds interleave (csv module, first import, next day, csv module, ...): a ratio is taken
        # within one round, so the machine's drift hits both sides alike; medians of the rounds.
        rounds = []
        for _round in range(args.rounds):
            shutil.rmtree(full / "data/ozg/dashboard", ignore_errors=True)  # each first import starts empty
            csv_run = measure([PY, "-c", CSV_ONLY, str(exports / "050000000000.csv")], full)
            first = measure(import_cmd, full)
            again = measure([*import_cmd[:-2], "2026-11-21", "--allow-private"], full)
            rounds.append((csv_run, first, again))
        csv_s, csv_cpu, csv_mib = (statistics.median(run[0][i] for run in rounds) for i in range(3))

        def against_csv(which: int, limits: str) -> str:
            seconds = statistics.median(run[which][0] for run in rounds)
            ratios = sorted(run[which][0] / run[0][0] for run in rounds)
            cpu = statistics.median(run[which][1] / run[0][1] for run in rounds)
            mib = max(run[which][2] for run in rounds)
            return (f"{seconds:.1f} s = {statistics.median(ratios):.1f}× the csv module ({ratios[0]:.1f}–{ratios[-1]:.1f}×; "
                    f"CPU {cpu:.1f}×{limits[0]}), peak {mib:.0f} MiB{limits[1]}")

        store_mb = du(full / "data/ozg/dashboard") / 1e6
        importing = [
            ("export (synthetic, CSV)", f"{args.keys} keys × {args.services} services, {size_mb:.0f} MB"),
            ("csv module alone, reading the export", f"{csv_s:.1f} s (CPU {csv_cpu:.1f} s), peak {csv_mib:.0f} MiB"),
            ("update-ozg, first import", against_csv(1, ("; limit 5×", " (limit 400)"))),
            ("update-ozg, same data the next day", against_csv(2, ("", ""))),
            ("store in data/ozg/dashboard/", f"{store_mb:.0f} MB"),
        ]
        if args.import_only:
            server.shutdown()
            print("| NRW scale | figure |\n|---|---|")
            for name, value in importing:
                print(f"| {name} | {value} |")
            return

        def build(site):
            return measure([PY, "-m", "wachhund.commands.build", "-s", str(site / "pelicanconf.py"), "-o",
                            str(site / "output")], site)

        bare_s, _cpu, bare_mib = build(bare)
        full_s, _cpu, full_mib = build(full)
        for site in (bare, full):
            post = next(iter(sorted((site / "content/posts").glob("*.md"))))
            post.write_text(post.read_text(encoding="utf-8") + "\nEin geänderter Satz.\n", encoding="utf-8")
        bare_re, _cpu, _mib = build(bare)
        full_re, _cpu, _mib = build(full)
        preview = {}
        for name, site in (("without", bare), ("with", full)):
            post = next(iter(sorted((site / "content/posts").glob("*.md"))))
            preview[name] = statistics.median(make_serve_times(site, post, 3, tmp / f"serve-{name}.log"))
        output_mb = du(full / "output") / 1e6
        ranking_kb = (full / "output/ozg/rangliste/index.html").stat().st_size / 1e3
        server.shutdown()
    rows = [
        *importing,
        ("full build without / with the data", f"{bare_s:.1f} s / {full_s:.1f} s: +{full_s - bare_s:.1f} s (limit +10 s)"),
        ("peak memory without / with", f"{bare_mib:.0f} / {full_mib:.0f} MiB: +{full_mib - bare_mib:.0f} MiB (limit +300)"),
        ("rebuild after editing one post", f"{bare_re:.1f} s / {full_re:.1f} s: {full_re / bare_re:.2f}×"),
        ("make serve: save to page served, without / with",
         f"{preview['without']:.2f} s / {preview['with']:.2f} s: {preview['with'] / preview['without']:.2f}×"),
        ("output/ with the data", f"{output_mb:.0f} MB (limit 150 MB)"),
        ("ranking page", f"{ranking_kb:.0f} KB uncompressed (limit 300 KB)"),
    ]
    print("| NRW scale | figure |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main(sys.argv[1:])
