"""Open-data catalogues on the site (issue 27): pages, directive, feed, every configured portal."""
import subprocess
import sys

import pytest

from tests.opendata_server import PortalServer, ckan_package, fixture
from tests.support import ROOT, build_site, copy_project



@pytest.fixture
def server():
    instance = PortalServer()
    yield instance
    instance.close()


def command(project, *args):
    return subprocess.run([sys.executable, "-m", "wachhund.commands.opendata", "--allow-private", *args],
                          cwd=project, capture_output=True, text=True, timeout=120)


POST = ('Title: Offene Daten im Test\nDate: 2026-12-06 10:00\nCategory: Open Data\n\n'
        'Zur Wirtschaft:\n\n{% opendaten portal="duisburg" thema="Wirtschaft" %}\n')


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory):
    """A copy of the site after two imports of the fixture catalogue, with a post that
    uses the directive (the real site has no import yet)."""
    project = copy_project(tmp_path_factory.mktemp("opendata") / "project")
    server = PortalServer(fixture("duisburg-1.json"))
    try:
        for day, name in (("2026-11-20", "duisburg-1.json"), ("2026-12-05", "duisburg-2.json")):
            server.datasets = fixture(name)
            result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", day)
            assert result.returncode == 0, result.stderr
    finally:
        server.close()
    (project / "content/posts/2026-12-06-offene-daten-test.md").write_text(POST, encoding="utf-8")
    out = project.parent / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    return project, out


def test_pages_show_counts_age_formats_and_changes(imported_site):
    from bs4 import BeautifulSoup

    _project, out = imported_site
    page = BeautifulSoup((out / "offene-daten/duisburg/index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "6 Datensätze (Stand: 5. Dezember 2026)" in text
    assert "2 von 6 seit über zwei Jahren nicht aktualisiert (zuletzt geändert vor dem 5. Dezember 2024)" in text
    assert "1 von 6 Datensätzen gibt es nur als PDF; 1 nur über einen Link ohne Download-Adresse" in text
    assert "entfernt: Gewerbeflächen (Beispiel)" in text
    assert "Änderungsdatum zurückgesetzt: Luftmessstellen (Beispiel) (zuletzt geändert: 1. Januar 2023)" in text
    assert "täglich (R/P1D)" in text
    rows = page.select("table.opendaten-verlauf tbody tr")
    assert [r.get_text(" ", strip=True).split(" ")[-4] for r in rows] == ["6", "6"]
    history = {r.th.get_text(): [td.get_text() for td in r.find_all("td")]
               for r in page.select("table.opendaten-themen-verlauf tbody tr")}
    assert history["Wirtschaft"] == ["3", "2"] and history["Verkehr"] == ["2", "3"]  # per theme over time
    assert page.select_one("svg.opendaten-chart") is not None and len(page.select("svg circle")) == 2
    title = page.find("a", href="https://portal.example/dataset/beispiel-003")
    assert title.get_text() == "Wochenmärkte <b>Beispiel</b> & <script>alert(1)</script>"  # text, no element
    assert page.find("script", string="alert(1)") is None and page.find("b", string="Beispiel") is None
    index = (out / "offene-daten/index.html").read_text(encoding="utf-8")
    assert "6 Datensätze, davon 2 seit über zwei Jahren nicht aktualisiert" in index
    assert "offene-daten/duisburg/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_directive_gives_the_authors_sentence_from_data(imported_site):
    _project, out = imported_site
    html = (out / "2026/offene-daten-im-test/index.html").read_text(encoding="utf-8")
    assert ("2 Datensätze zum Thema Wirtschaft, der älteste zuletzt aktualisiert am 1. September 2026 "
            '<span class="opendaten-quelle">(Stand: 5. Dezember 2026; Quelle: ') in html


@pytest.mark.parametrize("line, message", [
    ('{% opendaten portal="essen" %}', "unknown portal 'essen'; known: duisburg"),
    ('{% opendaten portal="duisburg" thema="Sport" %}',
     "portal 'duisburg' has no thema 'Sport'; known: Finanzen, Umwelt, Verkehr, Wirtschaft"),
    ('{% opendaten thema="Sport" %}', "'opendaten' needs portal"),
])
def test_unknown_portal_or_theme_fails_with_the_posts_line(imported_site, tmp_path, line, message):
    project, _out = imported_site
    post = project / "content/posts/2026-12-07-falsch.md"
    post.write_text(f"Title: Falsch\nDate: 2026-12-06 11:00\n\nText.\n\n{line}\n", encoding="utf-8")
    try:
        result = build_site(project, tmp_path / "out")
    finally:
        post.unlink()
    assert result.returncode != 0
    assert f"content/posts/2026-12-07-falsch.md:6: {message}" in result.stdout + result.stderr


def test_the_real_site_says_noch_keine_abfrage(site):
    assert not (ROOT / "data/offene-daten").exists()  # nothing invented in data/
    index = (site / "offene-daten/index.html").read_text(encoding="utf-8")
    assert "Open Data Duisburg</a>:" in index and "noch keine Abfrage." in index
    portal = (site / "offene-daten/duisburg/index.html").read_text(encoding="utf-8")
    assert "noch keine Abfrage" in portal and "<table" not in portal


def test_the_feed_lists_each_import(imported_site):
    import feedparser

    _project, out = imported_site
    feed = feedparser.parse((out / "feeds/offene-daten.atom.xml").read_bytes())
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title.startswith("Open Data Duisburg: 1 neu, 1 aktualisiert")
    assert "entfernt: Gewerbeflächen (Beispiel)" in entry.summary


def test_every_configured_portal_on_its_own_and_a_ckan_portals_pages(project, server, tmp_path):
    """`make update-opendata` without PORTAL imports each configured portal; one that fails
    (here: 404) writes nothing and leaves the other's import in place; the site then shows both."""
    server.packages = [ckan_package(n) for n in range(1, 26)]
    (project / "pelicanconf.py").write_text(
        (project / "pelicanconf.py").read_text(encoding="utf-8") + "\nOPENDATA = {'PORTALE': {\n"
        f"    'ruhr': {{'name': 'Open Data Ruhr', 'art': 'ckan', 'url': '{server.ckan_url}',\n"
        "             'organisation': 'stadt-beispiel', 'seitengroesse': 10, 'lizenz': 'dl-de/by-2-0'},\n"
        f"    'kaputt': {{'name': 'Kaputtes Portal', 'art': 'dcat-us', 'url': '{server.base}/fehlt.json'}}}}}}\n",
        encoding="utf-8")
    result = command(project, "--date", "2026-11-20")
    assert result.returncode == 1
    assert "update-opendata failed for kaputt" in result.stderr and "HTTP 404" in result.stderr
    assert "ruhr: 25 datasets; 25 new" in result.stdout
    assert sorted(p.name for p in (project / "data/offene-daten").iterdir()) == ["ruhr.importe.csv", "ruhr.jsonl"]
    out = tmp_path / "out"
    built = build_site(project, out)
    assert built.returncode == 0, built.stderr
    index = (out / "offene-daten/index.html").read_text(encoding="utf-8")
    assert "25 Datensätze" in index and "Kaputtes Portal</a>:" in index and "noch keine Abfrage." in index
    page = (out / "offene-daten/ruhr/index.html").read_text(encoding="utf-8")
    assert "(Organisation stadt-beispiel)" in page and "dl-de/by-2-0" in page
    assert f'href="{server.ckan_url}dataset/paket-00001"' in page


def test_directives_keep_the_files_line_numbers_whatever_their_order(project, tmp_path):
    """Every directive's HTML takes exactly its own line, so an error in a later directive
    (here an ozg one) names the line of the file, however many directives come before."""
    post = project / "content/posts/2026-12-07-reihenfolge.md"
    lines = ["Title: Reihenfolge", "Date: 2026-12-07 10:00", "Category: Open Data", "",
             '{% opendaten portal="duisburg" %}', "", '{% opendaten portal="duisburg" %}', "", "Text.", "",
             '{% ozg gibtesnicht kommune="duisburg" %}']
    post.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert f"content/posts/2026-12-07-reihenfolge.md:{len(lines)}: unknown ozg directive 'gibtesnicht'" in result.stderr
