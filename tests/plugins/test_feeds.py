"""Feeds for subscribers: post feeds and change feeds (issue: feeds)."""

import re

import feedparser
from bs4 import BeautifulSoup

from plugins.subscriber_feeds.xmltext import xml_safe
from tests.support import build_site, write_link_state

OZG_DUISBURG = "feeds/ozg-aenderungen/duisburg.atom.xml"


def parse(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def test_post_feeds_full_content_language_and_dates(site):
    feed = parse(site / "feeds/alle.atom.xml")
    assert feed.feed.language == "de" or feed.feed.get("xml_lang") == "de" or 'xml:lang="de"' in (site / "feeds/alle.atom.xml").read_text()
    entry = next(e for e in feed.entries if "330 Dienste" in e.title)
    assert entry.author == "Wachhund-Redaktion"
    assert entry.updated.startswith("2026-11-16") and entry.published.startswith("2026-11-02")
    assert "Wirtschafts-Service-Portal.NRW" in entry.content[0].value  # full text, not a summary
    rss = parse(site / "feeds/alle.rss.xml")
    assert rss.feed.language == "de"
    assert "Wirtschafts-Service-Portal.NRW" in rss.entries[0].description or any(
        "Wirtschafts-Service-Portal.NRW" in e.description for e in rss.entries
    )


def test_change_feeds_parse_and_hold_the_changes(site):
    """Changes observed on the same day are one entry holding each of them (one
    notification per import, and no two entries share `updated`)."""
    duisburg = parse(site / OZG_DUISBURG)
    assert [e.title for e in duisburg.entries] == ["2 Änderungen vom 12. Oktober 2026"]
    content = duisburg.entries[0].content[0].value
    assert "Duisburg: Musikschule – keine Angabe → online" in content
    assert "Duisburg: Parkausweise und Zufahrtsberechtigungen (Bewohnerparkausweis) – keine Angabe → online" in content
    assert duisburg.entries[0].updated.startswith("2026-10-12")  # dated by the observation
    nrw = parse(site / "feeds/ozg-aenderungen/nrw.atom.xml")
    assert len(nrw.entries) == 1 and nrw.entries[0].title.startswith("368 Änderungen vom ")
    assert nrw.entries[0].content[0].value.count("<h2>") == 368  # nothing cut off by the 50-entry bound
    everything = parse(site / "feeds/ozg-aenderungen.atom.xml")
    assert everything.entries[0].updated.startswith("2026-10-12")  # newest first
    parse(site / "feeds/link-warnungen.atom.xml")


def test_feeds_follow_the_rules_the_w3c_validator_checks(project, tmp_path):
    """The W3C feed validator is not on PyPI or npm (see README: manual check); these
    are the rules it reported on earlier builds: RSS guids that are no URL carry
    isPermaLink="false", no two entries of a feed share atom:updated, and each
    file's rel="self" link names that file."""
    import xml.etree.ElementTree as ET

    out = tmp_path / "out"
    env = {"WACHHUND_SITEURL": "https://wachhund.example.org"}
    assert build_site(project, out, settings="publishconf.py", env=env).returncode == 0
    atom = "{http://www.w3.org/2005/Atom}"
    checked = 0
    for path in sorted((out / "feeds").rglob("*.xml")):
        root = ET.parse(path).getroot()
        own = "https://wachhund.example.org/" + str(path.relative_to(out))
        selfs = [link.get("href") for link in root.iter(f"{atom}link") if link.get("rel") == "self"]
        assert selfs == [own], path
        if root.tag == "rss":
            for guid in root.iter("guid"):
                if not guid.text.startswith(("http://", "https://")):
                    assert guid.get("isPermaLink") == "false", path
        else:
            updated = [entry.findtext(f"{atom}updated") for entry in root.iter(f"{atom}entry")]
            assert len(updated) == len(set(updated)), path
        checked += 1
    assert checked > 20


def test_feeds_carry_no_stylesheet_and_each_has_a_german_page(site):
    """Browsers are dropping XSLT (Chromium shows a removal banner), so no feed names
    a stylesheet; a reader opens the feed's page, built from the same entries."""
    assert not (site / "theme/feed.xsl").exists()
    for path in (site / "feeds").rglob("*.atom.xml"):
        assert b"<?xml-stylesheet" not in path.read_bytes(), path
        page_path = path.parent / path.name.removesuffix(".atom.xml") / "index.html"
        if "/kategorie/" in str(path) or "/schlagwort/" in str(path):
            continue  # the category's or tag's own page lists those posts
        page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
        feed = parse(path)
        shown = [h.get_text(" ", strip=True) for h in page.select(".feed-eintraege h3")]
        expected = [e.title for e in feed.entries]
        if "/ozg-" in str(path) or "korrekturen" in path.name or "link-warnungen" in path.name:
            # A change feed groups the changes of one moment into one entry; its page lists each change.
            assert len(shown) >= len(expected), path
        else:
            assert shown == expected, path
        codes = [c.get_text() for c in page.select(".feed-adressen code")]
        assert codes == [f"/{path.relative_to(site)}", f"/{str(path.relative_to(site)).replace('.atom.', '.rss.')}"], path
        alternates = {link["href"] for link in page.select("link[rel=alternate]")}
        assert codes[0] in alternates, path


def test_feeds_page_lists_every_feed(site):
    page = BeautifulSoup((site / "feeds/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = {c.get_text().lstrip("/") for c in page.select(".feed-list code")}
    existing = {str(p.relative_to(site)) for p in (site / "feeds").rglob("*.xml")}
    assert shown == existing
    pages = {a["href"].lstrip("/") for a in page.select(".feed-list a[href^='/feeds/']")}
    assert pages == {str(p.parent.relative_to(site)) + "/" for p in (site / "feeds").rglob("index.html")} - {"feeds/"}


def test_no_page_sends_a_reader_to_raw_xml(site):
    """Human-facing links go to the feed pages; only <link rel=alternate> (for feed
    readers and browser add-ons) names the XML."""
    for path in site.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not page.select("a[href$='.xml']"), path


def test_ids_stable_across_builds(site, project, tmp_path):
    out = tmp_path / "again"
    assert build_site(project, out).returncode == 0
    for path in (site / "feeds").rglob("*.atom.xml"):
        first = [e.id for e in parse(path).entries]
        second = [e.id for e in parse(out / path.relative_to(site)).entries]
        assert first == second, path


def test_published_feeds_use_absolute_urls_only(project, tmp_path):
    out = tmp_path / "pub"
    result = build_site(project, out, settings="publishconf.py", env={"WACHHUND_SITEURL": "https://wachhund.example.org"})
    assert result.returncode == 0, result.stderr
    for path in (out / "feeds").rglob("*.xml"):
        text = path.read_text(encoding="utf-8")
        parsed = parse(path)
        for entry in parsed.entries:
            for link in entry.get("links", []):
                assert link["href"].startswith("https://"), (path, link)
            html = "".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
            for url in re.findall(r'(?:href|src)="([^"]*)"', html):
                assert url.startswith(("https://", "http://", "mailto:", "#")), (path, url)
        assert 'href="/' not in text


def test_one_status_change_gives_exactly_one_entry(project, tmp_path):
    path = project / "data/ozg/kommunen/duisburg.yaml"
    text = path.read_text(encoding="utf-8")
    addition = """  - ozg_id: 10173
    leika: "99108001000000"
    leika_name: Bewohnerparkausweis
    datum: 2026-11-20
    online: ja
    reifegrad: 3
    quelle: https://www.duisburg.de/
    notiz: "Ohne Steuerzeichen: die lehnt der Build seit issue 22 ab (tests/lib/test_clean_text.py)"
  - ozg_id: 10023
    leika: "99088031000000"
    leika_name: Musikschule
    datum: 2026-11-21
    online: ja
    quelle: https://www.duisburg.de/
"""
    path.write_text(text + addition, encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    feed = parse(out / OZG_DUISBURG)
    assert len(feed.entries) == 2  # the unchanged Musikschule observation adds nothing
    newest = feed.entries[0]
    assert newest.title.endswith("online → Reifegrad 3, online") and newest.updated.startswith("2026-11-20")


def test_link_warnings_feed(project, tmp_path):
    write_link_state(project, {"https://opendata-duisburg.de/": {
        "verdict": "dead", "failing_since": "2026-05-03T08:00:00", "dead_since": "2026-05-07T08:00:00",
        "last_checked": "2026-11-20T10:00:00",
        "used_in": ["content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md:9"]}})
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    feed = parse(out / "feeds/link-warnungen.atom.xml")
    assert [e.title for e in feed.entries] == ["Link nicht mehr erreichbar: https://opendata-duisburg.de/"]
    assert feed.entries[0].updated.startswith("2026-05-07")
    assert "Open Data in Duisburg" in feed.entries[0].content[0].value


def test_xml_safe_removes_invalid_characters():
    assert xml_safe("a\x00b\x0bc\x1fd\ufffee") == "abcde"
    assert xml_safe("Grüße\n\t€") == "Grüße\n\t€"
