"""The link state on the built pages (plugins/link_health): markup, the next build, snapshots."""
from tests.support import build_site, write_link_state


def test_markup_in_built_page(project, tmp_path):
    write_link_state(project, {
        "https://dbi-duisburg.de/": {
            "verdict": "moved", "final_url": "https://www.duisburg-business.de/", "last_checked": "2026-11-20T10:00:00"},
        "https://opendata-duisburg.de/": {
            "verdict": "dead", "failing_since": "2026-05-03T08:00:00", "last_ok": "2026-05-01T08:00:00",
            "last_checked": "2026-11-20T10:00:00", "failures": 9},
        "https://service.duisburg.de/": {
            "verdict": "suspect", "failing_since": "2026-11-19T08:00:00", "last_checked": "2026-11-20T10:00:00"},
        "https://www.duisburg-business.de/download-presse": {
            "verdict": "ok", "last_checked": "2026-11-20T10:00:00", "unchanged_since": "2026-06-01T10:00:00",
            "fingerprint": "sha256:abc"},
    })
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    from bs4 import BeautifulSoup

    def page(slug):
        return BeautifulSoup((out / "2026" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")

    dbi = page("die-wirtschaftsfoerderung-ist-umgezogen-die-pressemeldungen-sind-stehen-geblieben")
    moved = dbi.find("a", href="https://dbi-duisburg.de/")
    assert moved["data-link-status"] == "moved"
    assert "umgezogen nach" in moved.find_next("span", class_="link-note").get_text()
    presse = dbi.find("a", href="https://www.duisburg-business.de/download-presse")
    assert "unverändert seit 1. Juni 2026" in presse.find_next("span", class_="link-note").get_text()
    od = page("open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014")
    dead = od.find("a", href="https://opendata-duisburg.de/")
    assert dead["data-link-status"] == "dead"
    note = dead.find_next("span", class_="link-dead")
    assert "nicht erreichbar seit 3. Mai 2026" in note.get_text()
    assert note.find("a")["href"] == "https://web.archive.org/web/20260501/https://opendata-duisburg.de/"
    unchecked = od.find("a", href="https://opendata-duisburg.de/dataset/gr%C3%BCndungen-duisburg")
    assert unchecked["data-link-status"] == "unchecked"
    duis = page("duisburg-digital-viel-ankuendigung-wenig-antrag")
    suspect = duis.find("a", href="https://service.duisburg.de/")
    assert suspect["data-link-status"] == "suspect"
    assert "suspect" not in duis.get_text() and "link-note" not in str(suspect.next_sibling)
    report = BeautifulSoup((out / "link-gesundheit/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "https://opendata-duisburg.de/" in report.get_text()
    citing = report.find("a", string="Open Data in Duisburg: drei Datensätze zur Wirtschaft, einer von 2014")
    assert citing["href"] == "/2026/open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014/"
    assert "suspect" not in report.get_text()
    feed = (out / "feeds/alle.atom.xml").read_text(encoding="utf-8")
    assert "nicht erreichbar seit 3. Mai 2026" in feed


def test_new_state_reaches_posts_on_the_next_build(project, tmp_path):
    """Links are marked while Markdown renders: a new link-health state reaches every post."""
    from bs4 import BeautifulSoup

    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    slug = "open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014"
    html = (out / "2026" / slug / "index.html").read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").find("a", href="https://opendata-duisburg.de/")["data-link-status"] == "unchecked"
    write_link_state(project, {"https://opendata-duisburg.de/": {
        "verdict": "dead", "failing_since": "2026-05-03T08:00:00", "last_ok": "2026-05-01T08:00:00",
        "last_checked": "2026-11-20T10:00:00", "failures": 9}})
    assert build_site(project, out).returncode == 0
    html = (out / "2026" / slug / "index.html").read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").find("a", href="https://opendata-duisburg.de/")["data-link-status"] == "dead"


def test_snapshots_become_robust_links_belege_and_archived_sources(project, tmp_path):
    """Recorded snapshots reach pages and feeds as Robust Links attributes, the post's
    "Belege" list, and a visible archived copy beside OZG and indicator sources."""
    import xml.etree.ElementTree as ET

    from bs4 import BeautifulSoup

    from wachhund.ozg.kennzahlen import parse

    kennzahlen = parse(project / "data/ozg/kennzahlen.yaml", "kennzahlen.yaml")
    source = kennzahlen.latest("ozg_land_flaechendeckend", "Nordrhein-Westfalen").quelle_url
    cited = "https://opendata-duisburg.de/"
    snapshot = "https://web.archive.org/web/20261120083000/{}"
    write_link_state(project, {
        url: {"verdict": "ok", "last_checked": "2026-11-21T10:00:00", "archive_url": snapshot.format(url),
              "archived_at": "2026-11-20T08:30:00"}
        for url in (cited, source)
    })
    out = tmp_path / "out"
    env = {"WACHHUND_SITEURL": "https://wachhund.example.org"}
    result = build_site(project, out, settings="publishconf.py", env=env)
    assert result.returncode == 0, result.stderr

    def page(path):
        return BeautifulSoup((out / path / "index.html").read_text(encoding="utf-8"), "html.parser")

    post = page("2026/open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014")
    link = post.select_one(".content").find("a", href=cited)
    assert (link["data-originalurl"], link["data-versiondate"], link["data-versionurl"]) == (
        cited, "2026-11-20", snapshot.format(cited))
    beleg = next(li for li in post.select("section.belege li") if li.find("a", href=cited))
    assert "erreichbar (geprüft am 21. November 2026)" in beleg.get_text(" ", strip=True)
    assert beleg.find("a", string="archivierte Fassung vom 20. November 2026")["href"] == snapshot.format(cited)
    unarchived = [li for li in post.select("section.belege li") if not li.find("a", href=cited)]
    assert unarchived and all("noch nicht geprüft" in li.get_text() for li in unarchived)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.parse(out / "feeds/alle.atom.xml").getroot().iter(f"{atom}entry")
    entry = next(e for e in entries if e.findtext(f"{atom}title").startswith("Open Data in Duisburg"))
    content = BeautifulSoup(entry.findtext(f"{atom}content"), "html.parser")  # feedparser would drop data-*
    assert content.find("a", href=cited)["data-versionurl"] == snapshot.format(cited)
    indicator_post = page("2026/platz-1-oder-weit-hinten-zwei-masse-fuer-denselben-stand")
    sentence = indicator_post.select_one('p.ozg-kennzahl[data-reihe="ozg_land_flaechendeckend"]')
    note = sentence.find("a", class_="archiv-link")
    assert note["href"] == snapshot.format(source) and "archivierte Fassung vom 20. November 2026" in note.get_text()
    area = page("ozg/nrw").select_one('table.kennzahlen-table tr[data-reihe="ozg_land_flaechendeckend"]')
    assert area.find("a", class_="archiv-link")["href"] == snapshot.format(source)
    overview = page("ozg/kennzahlen")
    marked = overview.select(f'table a.quelle[data-versionurl="{snapshot.format(source)}"]')
    assert marked and all(a.find_next_sibling("a", class_="archiv-link") for a in marked)
