"""Generate a synthetic Wachhund site with N posts (for benchmarks only).

Posts have external links, OZG directives, tags and categories; status data is
made up for several municipalities. Everything goes into a folder outside the
repository's content/ and data/ (made-up data never enters the real site).
"""

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from wachhund.lib.yamlfile import dump_yaml, load_file

WORDS = (
    "Verwaltung Antrag online Bürgeramt Frist Leistung Portal Termin Stadt Land Bund Gesetz Daten "
    "Nachweis Bescheid Formular Reifegrad Umsetzung digital Kommune Service Dienst Prüfung Quelle"
).split()
KOMMUNEN = ["duisburg", "essen", "bochum", "dortmund", "muelheim"]


def paragraph(rng, n=60):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(target: Path, posts: int, seed: int = 42) -> Path:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("plugins",):
        (target / name).symlink_to(ROOT / name)
    # Copied: the build reads no file through a link (plugins/source_files).
    shutil.copytree(ROOT / "theme", target / "theme")
    shutil.copy(ROOT / "pelicanconf.py", target / "pelicanconf.py")
    (target / "content/posts").mkdir(parents=True)
    (target / "content/pages").mkdir(parents=True)
    (target / "data/ozg/kommunen").mkdir(parents=True)
    shutil.copy(ROOT / "data/ozg/katalog.yaml", target / "data/ozg/katalog.yaml")
    ids = [entry["id"] for entry in load_file(ROOT / "data/ozg/katalog.yaml")["leistungen"]]
    for index, slug in enumerate(KOMMUNEN):
        observations = []
        for ozg_id in rng.sample(ids, 120):
            for step in range(rng.randint(1, 3)):
                observations.append({
                    "ozg_id": ozg_id, "datum": dt.date(2024 + step, rng.randint(1, 9), rng.randint(10, 19)),
                    "reifegrad": rng.randint(0, 4), "quelle": f"https://{slug}.example.org/ozg/{ozg_id}",
                })
        header = {"slug": slug, "name": slug.capitalize(), "ars": f"05{index:010d}", "ebene": "kommune",
                  "beobachtungen": observations}
        (target / f"data/ozg/kommunen/{slug}.yaml").write_text(
            dump_yaml(header), encoding="utf-8"
        )
    categories = ["Duisburg", "NRW", "Bund", "Open Data", "Hintergrund", "In eigener Sache", "Essen", "Bochum"]
    tags = [f"Thema {i}" for i in range(50)] + ["Bürgeramt", "Straßenverkehr"]
    for number in range(posts):
        links = [f"https://amt{rng.randint(0, 200)}.example.org/seite/{number}", "https://service.example.org/",
                 f"https://www.example.com/dok/{rng.randint(0, 5000)}"]
        directive = rng.choice([
            f'{{% ozg tabelle kommune="{rng.choice(KOMMUNEN)}" ids="{",".join(map(str, rng.sample(ids, 3)))}" %}}',
            f'{{% ozg zusammenfassung kommune="{rng.choice(KOMMUNEN)}" %}}',
        ])
        body = "\n\n".join([
            paragraph(rng), f"Siehe [Quelle]({links[0]}), [Portal]({links[1]}) und <{links[2]}>.",
            "## Abschnitt eins", paragraph(rng), directive, "## Abschnitt zwei", paragraph(rng),
            "## Abschnitt drei", paragraph(rng),
        ])
        day = number % 28 + 1
        month = number // 28 % 12 + 1
        year = 2020 + number // 336
        (target / f"content/posts/post-{number:05d}.md").write_text(
            f"Title: Beitrag {number}: {rng.choice(WORDS)} und {rng.choice(WORDS)}\n"
            f"Date: {year}-{month:02d}-{day:02d} 10:00\nCategory: {rng.choice(categories)}\n"
            f"Tags: {', '.join(rng.sample(tags, 3))}\nSummary: {paragraph(rng, 20)}\n\n{body}\n",
            encoding="utf-8",
        )
    (target / "content/pages/impressum.md").write_text("Title: Impressum\n\nText.\n", encoding="utf-8")
    # Bare Pelican: the same posts and core settings (URLs, pagination, feeds,
    # Markdown extensions), but none of our plugins and Pelican's stock theme.
    (target / "bare.py").write_text(
        "from pelicanconf import *  # noqa\n"
        "PLUGINS = []\nTHEME = 'notmyidea'\nJINJA_FILTERS = {}\n"
        "DIRECT_TEMPLATES = ['index', 'archives', 'categories', 'tags', 'authors']\n"
        "LOAD_CONTENT_CACHE = False\nCACHE_CONTENT = False\n",
        encoding="utf-8",
    )
    return target


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
