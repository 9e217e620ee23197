"""Generate a synthetic Wachhund site with N posts (for benchmarks only).

    python bench/generate.py TARGET POSTS [--links N] [--tables N] [--tags N] [--seed S]

Posts have external links, OZG directives, tags and categories; status data is
made up for several municipalities. Everything goes into a folder outside the
repository's content/ and data/ (made-up data never enters the real site).

The defaults (3 links, one OZG directive chosen at random between a status
table and a summary, 3 tags) give the same bytes as before the options existed,
so figures measured with them stay comparable across commits.
"""

import argparse
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


DEFAULT_LINKS = 3
DEFAULT_TAGS = 3
# Labels of the first links in a post's source sentence; more links go into a list.
LINK_FORMS = ("[Quelle]({})", "[Portal]({})", "<{}>")


def link_text(links: list) -> list:
    """The Markdown blocks that carry a post's external links."""
    inline = [form.format(url) for form, url in zip(LINK_FORMS, links)]
    blocks = []
    if inline:
        blocks.append("Siehe " + (", ".join(inline[:-1]) + " und " if len(inline) > 1 else "") + inline[-1] + ".")
    if links[len(LINK_FORMS):]:
        blocks.append("Weitere Quellen:\n\n" + "\n".join(
            f"- [Dokument {number}]({url})" for number, url in enumerate(links[len(LINK_FORMS):], len(LINK_FORMS) + 1)))
    return blocks


def generate(target: Path, posts: int, seed: int = 42, *, links: int = DEFAULT_LINKS, tables: int | None = None,
             tags: int = DEFAULT_TAGS) -> Path:
    """Write the site into target (replaced). tables=None: one directive per post, a status
    table or a summary at random (the default); tables=N: N status tables per post."""
    for name, value in (("posts", posts), ("links", links), ("tables", tables), ("tags", tags)):
        if value is not None and value < 0:
            raise ValueError(f"{name} must be 0 or more, not {value}")
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
    # 52 names by default; more tags per post than that get more "Thema i".
    tag_names = [f"Thema {i}" for i in range(max(50, tags - 2))] + ["Bürgeramt", "Straßenverkehr"]
    for number in range(posts):
        # The first three draw from rng exactly as before the options existed (same bytes by default).
        urls = [f"https://amt{rng.randint(0, 200)}.example.org/seite/{number}", "https://service.example.org/",
                f"https://www.example.com/dok/{rng.randint(0, 5000)}"]
        urls += [f"https://behoerde{rng.randint(0, 200)}.example.net/dokument/{number}-{extra}"
                 for extra in range(links - len(urls))]
        if tables is None:
            directives = [rng.choice([
                f'{{% ozg tabelle kommune="{rng.choice(KOMMUNEN)}" ids="{",".join(map(str, rng.sample(ids, 3)))}" %}}',
                f'{{% ozg zusammenfassung kommune="{rng.choice(KOMMUNEN)}" %}}',
            ])]
        else:
            directives = [f'{{% ozg tabelle kommune="{rng.choice(KOMMUNEN)}" ids="{",".join(map(str, rng.sample(ids, 3)))}" %}}'
                          for _ in range(tables)]
        body = "\n\n".join([
            paragraph(rng), *link_text(urls[:links]),
            "## Abschnitt eins", paragraph(rng), *directives, "## Abschnitt zwei", paragraph(rng),
            "## Abschnitt drei", paragraph(rng),
        ])
        day = number % 28 + 1
        month = number // 28 % 12 + 1
        year = 2020 + number // 336
        (target / f"content/posts/post-{number:05d}.md").write_text(
            f"Title: Beitrag {number}: {rng.choice(WORDS)} und {rng.choice(WORDS)}\n"
            f"Date: {year}-{month:02d}-{day:02d} 10:00\nCategory: {rng.choice(categories)}\n"
            + (f"Tags: {', '.join(rng.sample(tag_names, tags))}\n" if tags else "")
            + f"Summary: {paragraph(rng, 20)}\n\n{body}\n",
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


def add_shape_options(parser: argparse.ArgumentParser) -> None:
    """The options that shape each post; shared with bench/build_bench.py."""
    parser.add_argument("--links", type=count, default=None, help=f"external links per post (default {DEFAULT_LINKS})")
    parser.add_argument("--tables", type=count, default=None,
                        help="OZG status-table directives per post (default: one directive, a table or a summary at random)")
    parser.add_argument("--tags", type=count, default=None, help=f"tags per post (default {DEFAULT_TAGS})")


def count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder to write the site into (replaced)")
    parser.add_argument("posts", type=count)
    parser.add_argument("--seed", type=int, default=42)
    add_shape_options(parser)
    args = parser.parse_args(argv)
    generate(args.target, args.posts, args.seed, links=DEFAULT_LINKS if args.links is None else args.links,
             tables=args.tables, tags=DEFAULT_TAGS if args.tags is None else args.tags)


if __name__ == "__main__":
    main()
