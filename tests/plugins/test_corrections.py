"""Corrections (issue 15, item 3): `Korrektur:` lines shown on the post, at the corrected
section, on /korrekturen/ and in a feed; the post's feed entry gets a new `updated`."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support import build_site

POST = """Title: Zahlen zum Bürgeramt
Date: 2026-11-10 09:00
Category: Duisburg
Korrektur: 2026-11-12: Die Zahl der Termine war falsch angegeben.
Korrektur: 2026-11-20 #quellen: Die Quelle der Stadt ergänzt und
    den Link korrigiert.
Summary: Ein Test.

## Zahlen

Text.

## Quellen

Mehr Text.
"""


def build_with_post(base):
    from tests.support import copy_project

    project = copy_project(base / "project")
    (project / "content/posts/2026-11-10-buergeramt.md").write_text(POST, encoding="utf-8")
    out = base / "out"
    result = build_site(project, out, settings="publishconf.py", env={"WACHHUND_SITEURL": "https://wachhund.example.org"})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_with_post(tmp_path_factory.mktemp("corrections"))


def test_correction_ids_do_not_depend_on_where_the_project_lies(built, tmp_path):
    elsewhere = build_with_post(tmp_path / "another" / "folder")
    ids = [feedparser.parse((out / "feeds/korrekturen.atom.xml").read_bytes()).entries for out in (built, elsewhere)]
    assert [e.id for e in ids[0]] == [e.id for e in ids[1]] and len(ids[0]) == 2


def test_post_shows_its_corrections_above_the_text_and_at_the_section(built):
    page = BeautifulSoup((built / "2026/zahlen-zum-buergeramt/index.html").read_text(encoding="utf-8"), "html.parser")
    box = page.select_one("aside#korrekturen")
    items = [li.get_text(" ", strip=True) for li in box.select("li")]
    assert items[0].startswith("20. November 2026 : Die Quelle der Stadt ergänzt und den Link korrigiert.")
    assert items[1].startswith("12. November 2026 : Die Zahl der Termine war falsch angegeben.")
    assert box.find_next("div", class_="content")  # above the text
    heading = page.find("h2", id="quellen")
    note = heading.find_next_sibling()
    assert "korrektur-hinweis" in note["class"] and "Korrigiert am 20. November 2026" in note.get_text()
    assert "aktualisiert am" in page.select_one("p.meta").get_text() and "20. November 2026" in page.select_one("p.meta").get_text()


def test_corrections_page_lists_every_correction_newest_first(built):
    page = BeautifulSoup((built / "korrekturen/index.html").read_text(encoding="utf-8"), "html.parser")
    items = page.select("ol.korrekturen-liste li")
    assert [li.find("time")["datetime"] for li in items] == ["2026-11-20", "2026-11-12"]
    assert items[0].find("a")["href"] == "https://wachhund.example.org/2026/zahlen-zum-buergeramt/#quellen"


def test_corrections_feed_and_the_post_s_new_updated(built):
    feed = feedparser.parse((built / "feeds/korrekturen.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.updated[:10] for e in feed.entries] == ["2026-11-20", "2026-11-12"]
    assert feed.entries[0].title == "Korrektur: Zahlen zum Bürgeramt"
    posts = feedparser.parse((built / "feeds/alle.atom.xml").read_bytes())
    entry = next(e for e in posts.entries if e.title == "Zahlen zum Bürgeramt")
    assert entry.published.startswith("2026-11-10") and entry.updated.startswith("2026-11-20")


@pytest.mark.parametrize("line, message", [
    ("Korrektur: 2026-11-31: Text.", "Korrektur date '2026-11-31' is not a real date"),
    ("Korrektur: 2026-11-12:", "Korrektur needs a text"),
    ("Korrektur: gestern: Text.", "expected 'Korrektur: 2026-11-24: what was corrected'"),
    ("Korrektur: 2026-11-01: Text.", "is before the post's date 2026-11-10"),
    ("Korrektur: 2026-11-12 #gibtsnicht: Text.", "Korrektur names #gibtsnicht"),
])
def test_bad_correction_names_the_line(project, tmp_path, line, message):
    (project / "content/posts/k.md").write_text(
        f"Title: K\nDate: 2026-11-10\n{line}\n\n## Abschnitt\n\nText.\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "content/posts/k.md:3: " in result.stderr and message in result.stderr, result.stderr[-400:]
