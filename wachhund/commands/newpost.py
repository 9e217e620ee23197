"""`make newpost TITLE="…"`: create content/posts/<date>-<slug>.md for today."""

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings
from pelican.utils import slugify

ROOT = Path.cwd()  # the project: the folder `make` runs in

TEMPLATE = """Title: {title}
Date: {now}
Category: Duisburg
Tags: OZG
Summary: Ein oder zwei Sätze, die auf der Startseite und im Feed erscheinen.

Hier beginnt der Text. Eine Statustabelle fügen Sie mit einer eigenen Zeile ein:

{{% ozg tabelle kommune="duisburg" nur_beobachtet="ja" %}}
"""


def slug_for(title: str) -> str:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return slugify(
        title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        use_unicode=settings["SLUGIFY_USE_UNICODE"],
    )


def main(argv: list[str]) -> int:
    title = " ".join(argv).strip()
    if not title:
        print('Usage: make newpost TITLE="Mein Titel"', file=sys.stderr)
        return 2
    now = dt.datetime.now(ZoneInfo("Europe/Berlin"))
    slug = slug_for(title)
    if not slug:
        print(f"No usable slug could be made from {title!r}", file=sys.stderr)
        return 2
    path = ROOT / "content" / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
    if path.exists():
        print(f"{path.relative_to(ROOT)} exists already; not overwritten.", file=sys.stderr)
        return 1
    path.write_text(TEMPLATE.format(title=title, now=f"{now:%Y-%m-%d %H:%M}"), encoding="utf-8")
    print(f"Neuer Beitrag: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
