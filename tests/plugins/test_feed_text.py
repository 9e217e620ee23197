"""Names from data are text in every feed and page (issue 22, item 6).

A municipality's hand-kept YAML name and the federal export's region names
(`regionen.csv`) carry markup, references, `]]>` and quotes. Every feed under
output/feeds/ is read twice, as an XML parser sees it (each text construct
interpreted the way its format says) and as feedparser sees it; neither may find
an element that came from a name, and both must show the name letter for letter.
"""

import csv
import json
import xml.etree.ElementTree as ET

import feedparser
import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import append, build_site, replace

YAML_NAME = '<img src=x onerror=alert(1)>Duisburg &amp; "Stadt" \'am Rhein\' ]]> </b>'
REGION_NAME = "<script>alert(2)</script><img src=y onerror=alert(2)>Essen &lt;b&gt; ]]>"
KREIS_NAME = '<svg onload=alert(3)>Kreis "Mettmann"</svg>'
LEIKA_NAME = "<b>Kita</b>-Platz & Co"
ESSEN, KREIS_ME, RATINGEN = "051130000000", "051580000000", "051580028028"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
SITENAME = "Wachhund"


def hostile_project(project):
    """The real site with a hostile YAML name and a dashboard store (as `make update-ozg`
    writes it: plain CSV) whose region names are hostile, with one change to report."""
    replace(project, "data/ozg/kommunen/duisburg.yaml", "name: Duisburg", f"name: {json.dumps(YAML_NAME)}")
    append(project, "data/ozg/kommunen/duisburg.yaml", (  # an observation of its own day: an entry titled with the names
        '  - ozg_id: 10000\n    leika: "99041006000000"\n    leika_name: ' + json.dumps(LEIKA_NAME) + "\n"
        "    datum: 2026-11-05\n    online: ja\n    quelle: https://example.org/beleg\n"))
    # Pelican turns a post title's references into characters for its feeds (striptags):
    # the RSS feed must still not carry them as markup.
    (project / "content/posts/2026-11-30-fett.md").write_text(
        "Title: Fall &lt;b&gt;fett&lt;/b&gt; & mehr\nDate: 2026-11-30 09:00\nCategory: Duisburg\nTags: OZG\n"
        "Summary: Kurz.\n\nText.\n", encoding="utf-8")
    store = project / "data/ozg/dashboard"
    (store / "status").mkdir(parents=True)
    header = "ars,leika_key,ozgid,ozg_id,datum,vorhanden,online_status,aktiv,art_flaechendeckung,url\n"
    where = "in mind. einer Kommune verfügbar"
    (store / "status/05113.csv").write_text(
        header
        + f"{ESSEN},99108001000000,10173,10173,2026-11-20,ja,ok,ja,{where},https://dienst.example/essen\n"
        + f"{ESSEN},99108001000000,10173,10173,2026-11-21,ja,nicht ok,ja,{where},https://dienst.example/essen\n",
        encoding="utf-8")
    (store / "status/05158.csv").write_text(
        header + f"{RATINGEN},99088031000000,10023,10023,2026-11-20,ja,ok,ja,{where},https://dienst.example/ratingen\n",
        encoding="utf-8")
    with open(store / "regionen.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([("ars", "name", "bundesland"), (ESSEN, REGION_NAME, "Nordrhein-Westfalen"),
                          (KREIS_ME, KREIS_NAME, "Nordrhein-Westfalen"), (RATINGEN, "Ratingen", "Nordrhein-Westfalen")])
    (store / "importe.csv").write_text(
        "datum,ars,quelle,zeilen,aenderungen\n"
        "2026-11-20,050000000000,https://dashboard.example/export?ars=050000000000,2,2\n"
        "2026-11-21,050000000000,https://dashboard.example/export?ars=050000000000,2,1\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from tests.support import copy_project

    project = hostile_project(copy_project(tmp_path_factory.mktemp("hostile") / "project"))
    out = project.parent / "out"
    result = build_site(project, out, settings="publishconf.py", env={"WACHHUND_SITEURL": "https://wachhund.example.org"})
    assert result.returncode == 0, result.stderr
    return out


def html_fragment(markup):
    """The tree a browser builds from an HTML fragment."""
    return html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)


def shown_as_text(markup):
    """What an HTML-rendering reader shows of a text construct; it must hold no element."""
    tree = html_fragment(markup)
    assert list(tree.iter())[1:] == [], f"markup in a text construct: {markup!r}"
    return "".join(tree.itertext())


def no_active_markup(markup):
    """Content is HTML on purpose; nothing from a hostile name may be an element in it."""
    for element in html_fragment(markup).iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        assert tag not in ("script", "svg") and not (tag == "img" and element.get("src") in ("x", "y")), markup
        assert not any(name.lower().startswith("on") for name in element.attrib), markup


def texts_by_xml(path):
    """{label: shown text} of every text construct of a feed, read as an XML parser reads it,
    each interpreted as its format says: Atom by its type attribute, RSS titles and the
    channel description as a reader that renders HTML would (the stricter reading)."""
    root = ET.parse(path).getroot()
    shown = {}
    if root.tag == f"{ATOM}feed":
        for element in root.iter():
            name = element.tag.removeprefix(ATOM)
            if name in ("title", "subtitle", "rights", "summary", "content", "name"):
                kind = element.get("type", "text")
                assert kind in ("text", "html"), (path, name, kind)
                assert len(element) == 0, (path, name)  # text constructs hold no child elements
                if kind == "html":
                    no_active_markup(element.text or "")
                else:
                    shown.setdefault(name, []).append(element.text or "")
            if name == "category":
                shown.setdefault("category", []).append(element.get("term") or "")
    else:
        assert root.tag == "rss", path
        channel = root.find("channel")
        shown["title"] = [shown_as_text(channel.findtext("title") or "")]
        shown["subtitle"] = [shown_as_text(channel.findtext("description") or "")]
        for item in channel.iter("item"):
            assert len(item.find("title")) == 0
            shown["title"].append(shown_as_text(item.findtext("title") or ""))
            for html_part in (item.findtext("description"), item.findtext(CONTENT)):
                no_active_markup(html_part or "")
            for category in item.iter("category"):
                shown.setdefault("category", []).append(shown_as_text(category.text or ""))
    return shown


def texts_by_feedparser(path):
    """{label: shown text} as feedparser hands them to a feed reader."""
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))

    def shown(detail):
        if detail is None:
            return None
        if detail.type == "text/plain":
            return detail.value
        assert detail.type in ("text/html", "application/xhtml+xml"), detail.type
        return shown_as_text(detail.value)

    texts = {"title": [shown(parsed.feed.get("title_detail"))], "subtitle": [shown(parsed.feed.get("subtitle_detail"))]}
    for entry in parsed.entries:
        texts["title"].append(shown(entry.get("title_detail")))
        for content in entry.get("content", []) + [entry.get("summary_detail")]:
            if content is not None and content.type == "text/html":
                no_active_markup(content.value)
        if entry.get("author_detail"):
            texts.setdefault("name", []).append(entry.author_detail.get("name"))
        texts.setdefault("category", []).extend(tag.term for tag in entry.get("tags", []))
    return texts


def test_every_feed_shows_hostile_names_as_text(hostile_site):
    feeds = sorted((hostile_site / "feeds").rglob("*.xml"))
    assert len(feeds) > 20
    seen = {}
    for path in feeds:
        relative = str(path.relative_to(hostile_site / "feeds"))
        for reader, texts in (("xml", texts_by_xml(path)), ("feedparser", texts_by_feedparser(path))):
            seen[(relative, reader)] = texts
    # The names arrive letter for letter, in Atom and RSS, for either reader.
    own = f"{SITENAME} – OZG-Statusänderungen: {YAML_NAME}"
    region = f"{SITENAME} – OZG-Dashboard: {REGION_NAME}"
    for reader in ("xml", "feedparser"):
        for suffix in ("atom.xml", "rss.xml"):
            duisburg = seen[(f"ozg-aenderungen/duisburg.{suffix}", reader)]
            assert duisburg["title"][0] == own, (suffix, reader)
            assert duisburg["subtitle"][0].startswith(f"Nur Änderungen für {YAML_NAME}:"), (suffix, reader)
            assert any(t.startswith(f"{YAML_NAME}: ") and t.endswith(f" ({LEIKA_NAME}) – keine Angabe → online")
                       for t in duisburg["title"][1:]), (suffix, reader, duisburg["title"])
            essen = seen[(f"ozg-dashboard/{ESSEN}.{suffix}", reader)]
            assert essen["title"][0] == region, (suffix, reader)
            assert essen["title"][1] == f"{REGION_NAME}: 1 OZG-Leistung nicht mehr online", (suffix, reader)
            assert essen["subtitle"][0] == (f"Änderungen der online verfügbaren OZG-Leistungen in {REGION_NAME}."), (
                suffix, reader)
            # Pelican's feeds read a post title as HTML (striptags): the references became
            # characters, and they stay characters in RSS too.
            assert "Fall <b>fett</b> & mehr" in seen[(f"alle.{suffix}", reader)]["title"], (suffix, reader)


def test_pages_show_hostile_names_as_text(hostile_site):
    pages = {
        "ozg/duisburg/index.html": YAML_NAME, f"ozg/gemeinde/{ESSEN}/index.html": REGION_NAME,
        "ozg/rangliste/index.html": KREIS_NAME, "feeds/index.html": YAML_NAME, "ozg/index.html": YAML_NAME,
    }
    for page, name in pages.items():
        tree = html5lib.parse((hostile_site / page).read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        no_active_markup_in_page(tree, page)
        assert name in "".join(tree.itertext()), page


def no_active_markup_in_page(tree, page):
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        assert tag != "svg", page
        assert not (tag == "img" and element.get("src") in ("x", "y")), page
        assert not any(name.lower().startswith("on") for name in element.attrib), page
        if tag == "script":
            assert "alert(" not in (element.text or ""), page


PIECES = list("<>&;#/!?=\"' abzAZ09é]-x") + ["&amp;", "&lt;", "<b>", "</b>", "&not", "<img src=x onerror=alert(1)>", "]]>",
                                               "<!--", "-->", "<?", "&#x3c;", "&#60;", "<![CDATA[", "\t", "\n"]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(TRICKY)
def test_any_text_reads_back_letter_for_letter_in_atom_and_rss(text):
    """Whatever the characters, a reader gets the text back, and never an element."""
    import datetime as dt

    from markupsafe import Markup

    from plugins.subscriber_feeds.changes import render_feed
    from wachhund.lib.feeds import ChangeEntry, as_moment

    text = f"x{text}x"  # readers strip the ends of a title
    meta = {"id": "urn:wachhund:test", "title": text, "subtitle": text, "page": "https://example.org/",
            "self": "https://example.org/f.atom.xml", "self_rss": "https://example.org/f.rss.xml", "author": text}
    entry = ChangeEntry(id="urn:wachhund:e", title=text, link="https://example.org/e", date=as_moment(dt.date(2026, 11, 1)),
                        content=Markup("<p>Inhalt</p>"))
    for data in render_feed(meta, [entry], 50, dt.date(2026, 1, 1)):
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        for detail in (parsed.feed.title_detail, parsed.feed.subtitle_detail, parsed.entries[0].title_detail):
            value = detail.value if detail.type == "text/plain" else shown_as_text(detail.value)
            assert value == text, (data[:400], detail)
        if parsed.version.startswith("atom"):  # RSS names no author without an e-mail address
            assert parsed.feed.author_detail.name == text
