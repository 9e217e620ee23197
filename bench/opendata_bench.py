"""Benchmark (not a test): `make update-opendata` on a 2,000-dataset catalogue and the
build with it, side by side with the site without it.

A synthetic DCAT-US data.json (made-up datasets, generated into a temporary folder) is
served from 127.0.0.1 and imported twice into one copy of the real site (the second
day with 50 updated, 20 removed and 20 new datasets), then re-imported unchanged; the
copies without and with the store are built in interleaved rounds, each cold, in a
fresh process. Prints medians and the ratios with / without.

    python bench/opendata_bench.py [--datasets 2000] [--rounds 3]
"""

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from build_bench import measure

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
THEMES = ("Wirtschaft", "Verkehr", "Umwelt", "Bildung", "Soziales", "Finanzen", "Kultur", "Gesundheit")


def dataset(number: int, day: int = 0) -> dict:
    return {
        "@type": "dcat:Dataset", "identifier": f"bench-{number:05d}", "title": f"Benchmark-Datensatz {number}",
        "description": "Erfunden.", "issued": "2015-03-01", "accessLevel": "public",
        "modified": "R/P1D" if number % 50 == 0 else f"20{10 + number % 16:02d}-0{1 + number % 9}-{15 + day:02d}",
        "theme": [THEMES[number % len(THEMES)]], "keyword": ["benchmark", f"k{number % 30}"],
        "publisher": {"name": "Stadt Beispiel"}, "landingPage": f"https://portal.example/dataset/bench-{number:05d}",
        "distribution": [{"format": ("CSV", "PDF", "JSON")[number % 3],
                          "downloadURL": f"https://portal.example/files/{number}.dat"}],
    }


def catalogue(datasets) -> bytes:
    return json.dumps({"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": datasets},
                      ensure_ascii=False, indent=1).encode()


def copy_site(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "data", "theme", "plugins"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, target / name)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opendata-bench-") as tmp:
        tmp = Path(tmp)
        served = tmp / "served"
        served.mkdir()
        quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
        handler = functools.partial(quiet, directory=str(served))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/data.json"
        without, with_data = copy_site(tmp / "without"), copy_site(tmp / "with")

        def update(day):
            return measure([PY, "-m", "wachhund.commands.opendata", "--portal", "duisburg", "--url", url,
                            "--date", day, "--allow-private"], with_data)

        first = [dataset(n) for n in range(1, args.datasets + 1)]
        (served / "data.json").write_bytes(catalogue(first))
        size = (served / "data.json").stat().st_size
        imports = {"first import": update("2026-11-20")}
        second = [dataset(n, 1) if n <= 50 else dataset(n) for n in range(21, args.datasets + 21)]
        (served / "data.json").write_bytes(catalogue(second))
        imports["second day (50 updated, 20 removed, 20 new)"] = update("2026-12-05")
        imports["same answer again (writes nothing)"] = update("2026-12-05")
        server.shutdown()
        store = sum(p.stat().st_size for p in (with_data / "data/offene-daten").iterdir())
        print(f"catalogue: {args.datasets} datasets, data.json {size / 1e6:.1f} MB; store {store / 1e6:.2f} MB")
        for name, (wall, cpu, mib) in imports.items():
            print(f"update-opendata, {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {mib:.0f} MiB")
        figures = {"without": [], "with": []}
        for _round in range(args.rounds):  # interleaved: the machine's load hits both alike
            for name, site in (("without", without), ("with", with_data)):
                shutil.rmtree(site / "output", ignore_errors=True)
                figures[name].append(measure([PY, "-m", "wachhund.commands.build", "-s", str(site / "pelicanconf.py"),
                                              "-o", str(site / "output")], site))
        med = {name: [statistics.median(v[i] for v in values) for i in range(3)] for name, values in figures.items()}
        page = with_data / "output/offene-daten/duisburg/index.html"
        print(f"build, median of {args.rounds} cold builds: without {med['without'][0]:.2f} s wall / "
              f"{med['without'][1]:.2f} s CPU / {med['without'][2]:.0f} MiB; with {med['with'][0]:.2f} s / "
              f"{med['with'][1]:.2f} s / {med['with'][2]:.0f} MiB")
        print(f"ratio with / without: time {med['with'][0] / med['without'][0]:.2f}x, CPU "
              f"{med['with'][1] / med['without'][1]:.2f}x, memory {med['with'][2] / med['without'][2]:.2f}x")
        print(f"/offene-daten/duisburg/: {page.stat().st_size / 1024:.0f} KB uncompressed")


if __name__ == "__main__":
    main()
