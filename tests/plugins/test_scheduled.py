"""Scheduled posts (issue 22, item 10): a post dated after the cut-off day HEUTE is a
draft for `make publish`, a preview with a banner for `make html`, and appears with
the first publishing run on or after its day."""

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.support import ROOT, append, build_site, tree_digest
from tests.plugins.test_private_drafts import files_with

TOKEN = "weihnachtstoken"
POST = "content/posts/2026-12-24-bescherung.md"
PAGE = "2026/bescherung-weihnachtstoken/index.html"


def add_scheduled(project):
    """A post for 24 December that carries TOKEN in every field a page, list, feed or search
    could show, and attaches a file no other post links; and one for the evening of the
    23rd, which is not after a cut-off on the 23rd."""
    (project / "content/extra").mkdir(exist_ok=True)
    (project / "content/extra/wunschzettel.txt").write_text("Geheimer Wunschzettel weihnachtsdatei\n", encoding="utf-8")
    (project / POST).write_text(
        f"Title: Bescherung {TOKEN}\nDate: 2026-12-24 09:00\nCategory: Kat{TOKEN}\nTags: Tag{TOKEN}, OZG\n"
        f"Summary: Kurz {TOKEN}\n\nText {TOKEN} mit [Wunschzettel]({{attach}}/extra/wunschzettel.txt).\n",
        encoding="utf-8",
    )
    (project / "content/posts/2026-12-23-vorabend.md").write_text(
        "Title: Vorabend vorabendtoken\nDate: 2026-12-23 23:30\nCategory: Duisburg\n\nText vorabendtoken.\n",
        encoding="utf-8",
    )


def test_publish_holds_a_scheduled_post_back_until_its_day(project, tmp_path):
    add_scheduled(project)
    before = tmp_path / "before"
    result = build_site(project, before, settings="publishconf.py", env={"HEUTE": "2026-12-23"})
    assert result.returncode == 0, result.stderr
    assert files_with(before, TOKEN) == []  # no page, feed, tag, category, search entry or sitemap line
    assert "Stichtag für geplante Beiträge: 2026-12-23" in result.stdout.splitlines()
    assert files_with(before, "weihnachtsdatei") == [] and files_with(before, "wunschzettel") == []
    assert "vorabendtoken" in (before / "sitemap.xml").read_text(encoding="utf-8")  # the cut-off day itself is in

    on_the_day = tmp_path / "on-the-day"
    result = build_site(project, on_the_day, settings="publishconf.py", env={"HEUTE": "2026-12-24"})
    assert result.returncode == 0, result.stderr
    found = files_with(on_the_day, TOKEN)
    for expected in (PAGE, "index.html", "sitemap.xml", "feeds/alle.atom.xml", "feeds/alle.rss.xml",
                     "schlagwort/tagweihnachtstoken/index.html", "kategorie/katweihnachtstoken/index.html"):
        assert expected in found, (expected, found)
    assert any(name.endswith(".pf_fragment") for name in found)
    assert files_with(on_the_day, "weihnachtsdatei") == ["2026/bescherung-weihnachtstoken/wunschzettel.txt"]


def test_preview_shows_a_scheduled_post_with_a_banner_and_nowhere_else(project, tmp_path):
    add_scheduled(project)
    out = tmp_path / "out"
    result = build_site(project, out, env={"HEUTE": "2026-12-23"})
    assert result.returncode == 0, result.stderr
    # Its own page (at its final address) and the file it attaches; no list, feed or search.
    assert files_with(out, TOKEN) == [PAGE]
    page = BeautifulSoup((out / PAGE).read_text(encoding="utf-8"), "html.parser")
    banner = page.select_one(".unpublished-banner").get_text(" ", strip=True)
    assert banner.startswith("Geplant für 24. Dezember 2026 – noch nicht veröffentlicht.")
    assert "noindex" in page.find("meta", attrs={"name": "robots"})["content"]
    assert page.find(attrs={"data-pagefind-body": True}) is None
    # A published post has no banner.
    other = BeautifulSoup((out / "2026/vorabend-vorabendtoken/index.html").read_text(encoding="utf-8"), "html.parser")
    assert other.select_one(".unpublished-banner") is None and other.find(attrs={"data-pagefind-body": True})


def test_same_sources_and_cut_off_give_the_same_bytes(project, tmp_path):
    add_scheduled(project)
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_site(project, first, env={"HEUTE": "2026-12-23"}).returncode == 0
    assert build_site(project, second, env={"HEUTE": "2026-12-23"}).returncode == 0
    assert tree_digest(first) == tree_digest(second)


@pytest.mark.parametrize("value", ["2026-13-01", "24.12.2026", "morgen", "2026-2-3", " 2026-12-24"])
def test_a_bad_cut_off_fails_with_a_clear_message(project, tmp_path, value):
    out = tmp_path / "out"
    (out / "alt").mkdir(parents=True)
    result = build_site(project, out, settings="publishconf.py", env={"HEUTE": value})
    assert result.returncode != 0
    assert f"HEUTE must be a real day written YYYY-MM-DD (e.g. HEUTE=2026-12-07) or empty for today, got {value!r}" \
        in result.stderr, result.stderr[-1500:]
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["alt"]


def test_make_passes_heute_to_the_build(project, tmp_path):
    """`make publish HEUTE=…` reaches the build: a bad value stops it there."""
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    result = subprocess.run(
        ["make", "--no-print-directory", "publish", "HEUTE=2026-02-30", f"PY={sys.executable}", "STAMP="],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "got '2026-02-30'" in result.stderr, result.stderr[-1500:]
    assert "HEUTE=YYYY-MM-DD" in subprocess.run(["make", "help"], cwd=project, capture_output=True, text=True).stdout


def test_the_default_cut_off_is_today_in_berlin():
    from plugins.drafts.settings import cutoff

    late_evening_utc = dt.datetime(2026, 12, 23, 23, 30, tzinfo=dt.timezone.utc)  # already the 24th in Berlin
    assert cutoff({"HEUTE": ""}, now=late_evening_utc) == dt.date(2026, 12, 24)
    assert cutoff({}, now=late_evening_utc) == dt.date(2026, 12, 24)
    assert cutoff({"HEUTE": "2026-12-01"}, now=late_evening_utc) == dt.date(2026, 12, 1)


def test_a_link_to_a_scheduled_post_waits_with_it(project, tmp_path):
    """A post published today may link a post of next week only once that one is out."""
    add_scheduled(project)
    append(project, "content/posts/2026-12-23-vorabend.md", "\nMorgen: [Bescherung]({filename}/posts/2026-12-24-bescherung.md)\n")
    result = build_site(project, tmp_path / "a", settings="publishconf.py", env={"HEUTE": "2026-12-23"})
    assert result.returncode != 0
    assert "content/posts/2026-12-23-vorabend.md:7: verlinkt einen Entwurf: " \
           "{filename}/posts/2026-12-24-bescherung.md (geplant für 2026-12-24)" in result.stderr
    assert build_site(project, tmp_path / "b", settings="publishconf.py", env={"HEUTE": "2026-12-24"}).returncode == 0


def test_a_date_with_another_offset_counts_in_berlin():
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from plugins.drafts.schedule import is_scheduled

    cut_off = dt.date(2026, 12, 23)
    late_utc = SimpleNamespace(date=dt.datetime(2026, 12, 23, 23, 30, tzinfo=dt.timezone.utc))  # 00:30 on the 24th in Berlin
    late_berlin = SimpleNamespace(date=dt.datetime(2026, 12, 23, 23, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert is_scheduled(late_utc, cut_off) and not is_scheduled(late_berlin, cut_off)
