"""Author HTML: the strict reader names markup that would run, and the allowlist
sanitiser removes it whatever the check misses (issue 13, item 3).

Outputs are inspected with html5lib, which builds the tree a browser builds,
so parser-mutation tricks are judged as a browser would judge them."""

import re
from pathlib import Path

import feedparser
import html5lib
import pytest
from bs4 import BeautifulSoup
from markdown import Markdown
from pelican.settings import read_settings

from plugins.strict_reader.checks import check_active_html
from wachhund.lib.errors import ContentError
from plugins.strict_reader.reader import StrictMarkdownReader

from tests.support import ROOT, build_site, tree_digest

VECTORS = [
    "<script>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "<img src=x\nonerror=alert(1)>",
    '<a href="java&#115;cript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    "<a href=javascript:alert(1)>unquoted</a>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick][r]\n\n[r]: javascript:alert(1)",
    "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object>',
    "<embed src=x.swf>",
    '<form action="https://evil.example/"><button>senden</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<img src=`x` onerror=`alert(1)`>",
    '<img src="x" onerror="alert(1)"\n<b>unclosed tag</b>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<template><script>alert(1)</script></template>",
    '<a href="https://ok.example/" style="position:fixed;top:0">overlay</a>',
]

FORBIDDEN = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
             "button", "textarea", "select", "base", "link", "meta", "svg", "math", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background", "cite", "data"}


def executable(fragment: str) -> list[str]:
    """What in `fragment` could run or restyle the page, as a browser parses it."""
    found = []
    for element in html5lib.parseFragment(fragment, namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            continue  # comments
        name = element.tag.split("}")[-1].lower()
        if name in FORBIDDEN:
            found.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            attribute = attribute.split("}")[-1].lower()
            if attribute.startswith("on") or attribute == "style" and name not in ("th", "td"):
                found.append(f"{name}[{attribute}]")
            elif attribute == "style" and not re.fullmatch(r"text-align:\s*\w+;?", value.strip()):
                found.append(f"{name}[style={value}]")
            elif attribute in URL_ATTRIBUTES:
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
                if scheme and scheme.group(1) not in ("http", "https", "mailto"):
                    found.append(f"{name}[{attribute}={value[:30]}]")
    return found


def test_the_inspector_sees_every_vector():
    """The oracle itself: unsanitised, every vector except the Markdown ones is found."""
    raw = [v for v in VECTORS if not v.startswith(("[", "!["))]
    assert [v for v in raw if not executable(f"{v}\n\nText danach.")] == []


@pytest.fixture(scope="module")
def markdown():
    """The Markdown pipeline of the real reader, with the real settings."""
    return StrictMarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))._fresh_markdown()


@pytest.mark.parametrize("vector", VECTORS)
def test_sanitiser_leaves_nothing_executable(markdown, vector):
    html = markdown.reset().convert(f"Text davor.\n\n{vector}\n\nText danach.")
    assert executable(html) == []
    assert "Text davor." in html  # (what follows may be swallowed by an unclosed raw-text element)


def test_sanitiser_keeps_what_authors_and_directives_write(markdown):
    text = (
        "## Abschnitt\n\n| Spalte | Zahl |\n|:--|--:|\n| a | 1 |\n\n"
        'Ein Satz[^1] mit <abbr title="Onlinezugangsgesetz">OZG</abbr> und [Link](https://www.duisburg.de/ "Titel").\n\n'
        "<details><summary>Mehr</summary><p>Innen</p></details>\n\n[^1]: Fußnote.\n"
    )
    html = markdown.reset().convert(text)
    tree = html5lib.parseFragment(html, namespaceHTMLElements=False)
    assert tree.find(".//h2").get("id") == "abschnitt"
    assert [c.get("style") for c in tree.iter("td")] == ["text-align:left", "text-align:right"]
    assert tree.find(".//abbr").get("title") == "Onlinezugangsgesetz"
    link = tree.find(".//a[@title='Titel']")
    assert link.get("href") == "https://www.duisburg.de/"
    assert tree.find(".//details/summary").text == "Mehr"
    assert tree.find(".//sup").get("id") == "fnref:1"


@pytest.mark.parametrize("vector", VECTORS)
def test_strict_reader_names_the_line(vector):
    """Authors learn where: every vector but the harmless-looking overlay is refused by line."""
    if "position:fixed" in vector:
        pytest.skip("not active content; the sanitiser drops the style")
    text = f"Title: X\nDate: 2026-11-01\n\nErster Absatz.\n\n{vector}\n"
    with pytest.raises(ContentError) as error:
        check_active_html(text, "content/posts/x.md")
    assert error.value.line in range(6, 6 + vector.count("\n") + 1), error.value


def test_code_examples_may_show_markup():
    check_active_html("Title: X\n\n`<script>` und\n\n```html\n<img src=x onerror=alert(1)>\n```\n", "x.md")


def test_summary_with_markup_that_runs_fails_the_build(project, tmp_path):
    (project / "content/posts/zz.md").write_text(
        "Title: X\nDate: 2026-11-01\nSummary: Kurz <svg/onload=alert(1)>\n\nText.\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "content/posts/zz.md:3: active content '<svg'" in result.stderr


def test_no_page_or_feed_of_the_site_has_executable_author_content(site):
    """Every post body and summary as published: in pages (.content, .summary) and in every feed entry."""
    checked = 0
    for page in sorted(site.rglob("*.html")):
        tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        for element in tree.iter():
            if element.get("class") in ("content", "summary"):
                fragment = html5lib.serialize(element, tree="etree", omit_optional_tags=False)
                assert executable(fragment) == [], page
                checked += 1
    for feed in sorted(site.rglob("*.xml")):
        for entry in feedparser.parse(feed.read_bytes()).entries:
            for part in [entry.get("summary", "")] + [c.value for c in entry.get("content", [])]:
                assert executable(part) == [], feed
                checked += 1
    assert checked > 50


def test_html_and_rst_files_are_not_read(project, tmp_path):
    """Only the Markdown reader checks and sanitises: other readers are off."""
    (project / "content/posts/roh.html").write_text(
        '<html><head><title>Roh</title><meta name="date" content="2026-11-01"></head>'
        "<body><script>alert(1)</script></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    assert "alert(1)" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


# --- data-* attributes (issue 22, item 4) ---------------------------------------------------
# Pagefind takes a search result's link, title and filters from data-pagefind-*; the link
# marking writes (and skips links already carrying) these; the OZG tables' contract is ours.
PAGEFIND_PREFIX = "data-pagefind-"
LINK_MARKING = {"data-link-status", "data-originalurl", "data-versiondate", "data-versionurl"}
# (source after the header, line of the attribute counted in the whole file, name)
DATA_VECTORS = [
    ('<p data-pagefind-meta="url:javascript:alert(document.domain)">Text</p>', 5, "data-pagefind-meta"),
    ('<p DATA-PAGEFIND-META="url:javascript:alert(1)">Text</p>', 5, "DATA-PAGEFIND-META"),
    ("<div\nData-Pagefind-Body>Text</div>", 6, "Data-Pagefind-Body"),
    ('<span data-pagefind-filter="Kategorie:Gefälscht">x</span>', 5, "data-pagefind-filter"),
    ("<p data-pagefind-ignore>Text</p>", 5, "data-pagefind-ignore"),
    ('<a href="https://tot.example/" data-link-status="ok">Quelle</a>', 5, "data-link-status"),
    ('<a href="https://x.example/" data-versionurl="https://evil.example/">x</a>', 5, "data-versionurl"),
    ('<a href="https://x.example/" Data-OriginalURL="https://evil.example/" data-versiondate=2020>x</a>', 5,
     "Data-OriginalURL"),
    ('<table><tr data-ozg-id="10173" data-reifegrad="4"><td>x</td></tr></table>', 5, "data-ozg-id"),
    ('<p title="a>b"data-pagefind-meta="url:javascript:alert(1)">quoted ">" then no space</p>', 5,
     "data-pagefind-meta"),
    # attribute lists (Python-Markdown's attr_list, part of "extra")
    ('## Überschrift {: data-pagefind-meta="url:javascript:alert(1)" }', 5, "data-pagefind-meta"),
    ("Ein Absatz.\n{: DATA-PAGEFIND-META=url:javascript:alert(1) }", 6, "DATA-PAGEFIND-META"),
    ("Ein *Wort*{: .x data-link-status=ok } im Satz.", 5, "data-link-status"),
    ('```{ .python data-pagefind-meta="url:javascript:alert(1)" }\nprint(1)\n```', 5, "data-pagefind-meta"),
]


@pytest.mark.parametrize("source, line, name", DATA_VECTORS)
def test_strict_reader_names_a_data_attribute_and_its_line(source, line, name):
    text = f"Title: X\nDate: 2026-11-01\n\nErster Absatz.\n{source}\n"
    with pytest.raises(ContentError) as error:
        check_active_html(text, "content/posts/x.md")
    assert str(error.value).startswith(f"content/posts/x.md:{line}: attribute {name!r} is not allowed"), error.value


def test_a_data_attribute_in_the_summary_is_refused_and_in_plain_metadata_is_text():
    """Summary is rendered as Markdown (HTML passes); Title, Tags … are escaped text."""
    plain = 'Title: "><b data-pagefind-meta=x>\nTags: <b data-link-status=ok>\nSummary: Kurz.\n\nText.\n'
    check_active_html(plain, "content/posts/x.md")
    with pytest.raises(ContentError) as error:
        check_active_html("Title: X\nSummary: Kurz\n    und <span Data-Pagefind-Filter=x>y</span>\n\nText.\n",
                          "content/posts/x.md")
    assert str(error.value).startswith("content/posts/x.md:3: attribute 'Data-Pagefind-Filter' is not allowed")


@pytest.mark.parametrize("source", [
    '<abbr title="das Feld data-ozg-id=1">Attribut</abbr>',  # words inside a quoted value
    '<abbr title="<p data-pagefind-meta=x>">Attribut</abbr>',  # a tag inside a quoted value is text
    "`<p data-pagefind-meta=x>` in Backticks",
    "```html\n<p data-pagefind-meta=x>Beispiel</p>\n```",
    '{% ozg tabelle kommune="duisburg" titel="Tabelle data-x" %}',
    "Ein [Link]({filename}/posts/a.md) und {geschweifte} Klammern.",
])
def test_data_attributes_in_code_or_text_are_not_refused(source):
    check_active_html(f"Title: X\n\n{source}\n", "content/posts/x.md")


def data_attributes(html: str) -> list[tuple[str, str, str]]:
    """(element, attribute, value) of every data-* attribute, as a browser parses `html`."""
    found = []
    for element in html5lib.parseFragment(html, namespaceHTMLElements=False).iter():
        if isinstance(element.tag, str):
            found += [(element.tag, name, value) for name, value in element.attrib.items()
                      if name.lower().startswith("data-")]
    return found


@pytest.fixture(scope="module")
def unsanitised():
    """The same Markdown extensions without the sanitiser: what the vectors would publish."""
    return Markdown(**StrictMarkdownReader(read_settings(str(ROOT / "pelicanconf.py"))).settings["MARKDOWN"])


def acted_on(html: str) -> list[tuple[str, str]]:
    return [(tag, attribute) for tag, attribute, _ in data_attributes(html)
            if attribute.startswith(PAGEFIND_PREFIX) or attribute in LINK_MARKING]


@pytest.mark.parametrize("source, line, name", DATA_VECTORS)
def test_sanitiser_drops_search_and_link_marking_attributes_from_authors(markdown, unsanitised, source, line, name):
    """The guarantee when the check misses one: no author attribute a tool acts on survives,
    whatever its case, in HTML, in an attribute list or on a code fence."""
    text = f"Text davor.\n\n{source}\n\nText danach."
    if name.lower() != "data-ozg-id":
        assert acted_on(unsanitised.reset().convert(text)) != []  # the vector works without the sanitiser
    assert acted_on(markdown.reset().convert(text)) == []


def test_sanitiser_drops_every_data_attribute_it_does_not_name(markdown):
    html = markdown.reset().convert(
        '<p data-anything="1" DATA-PAGEFIND-BODY data-kommune="x">Text</p>\n\n'
        '<div data-ozg-id="1" data-reihe="r">Text</div>\n')
    # Only the directive's own names on the directive's own elements: <p data-kommune>.
    assert data_attributes(html) == [("p", "data-kommune", "x")]


def all_directives(model) -> str:
    lines = [f'{{% ozg {kind} kommune="{slug}" %}}' for slug in model.kommunen for kind in ("tabelle", "zusammenfassung")]
    lines.append(f'{{% ozg vergleich kommunen="{",".join(model.kommunen)}" %}}')
    for reihe in model.kennzahlen.reihen:
        lines.append(f'{{% ozg zeitreihe reihe="{reihe}" %}}')
        lines += [f'{{% ozg kennzahl reihe="{reihe}" gebiet="{gebiet}" %}}' for gebiet in model.kennzahlen.gebiete(reihe)]
    return "\n\n".join(lines) + "\n"


def test_every_data_attribute_the_ozg_directive_writes_survives_the_sanitiser():
    """Our own extension's markup goes through the same sanitiser: on the real data and on
    the fixtures, every data attribute of every directive kind arrives unchanged."""
    from plugins.ozg_status.directive import OzgExtension
    from wachhund.ozg.schema import load_model
    from plugins.strict_reader.sanitize import EXTENSION_DATA_ATTRIBUTES, SanitizeExtension

    seen = set()
    for data_dir in (ROOT / "data" / "ozg", ROOT / "tests" / "fixtures" / "ozg"):
        model = load_model(data_dir, ROOT)
        text = all_directives(model)
        raw = Markdown(extensions=["extra", OzgExtension(model)]).convert(text)
        clean = Markdown(extensions=["extra", OzgExtension(model), SanitizeExtension()]).convert(text)
        assert sorted(data_attributes(clean)) == sorted(data_attributes(raw))
        seen |= {(tag, attribute) for tag, attribute, _ in data_attributes(raw)}
    # Every name on the sanitiser's list is written by the directive (the list holds no spare names).
    assert seen == {(tag, name) for tag, names in EXTENSION_DATA_ATTRIBUTES.items() for name in names}


def test_the_real_sites_ozg_tables_keep_their_data_attributes(site):
    """The published posts' directive output, after the sanitiser, still has the markup contract."""
    compare = BeautifulSoup(next(site.glob("2026/digital-direkt*/index.html")).read_text(encoding="utf-8"),
                            "html.parser")
    rows = compare.select("table.ozg-table tbody tr")
    assert len(rows) == 9 and all(row.has_attr("data-ozg-id") for row in rows)  # summary rows: empty id
    assert compare.select_one("p.ozg-summary")["data-kommune"] == "nrw"
    series = BeautifulSoup(next(site.glob("2026/platz-1-oder-weit-hinten*/index.html")).read_text(encoding="utf-8"),
                           "html.parser")
    assert series.select_one("p.ozg-kennzahl")["data-reihe"] == "ozg_land_mind1kommune"
    assert {row["data-reihe"] for row in series.select("table.kennzahlen-table tbody tr")} >= {
        "ozg_land_mind1kommune", "ozg_land_flaechendeckend"}


def test_a_data_attribute_in_a_post_stops_the_build_with_its_line(project, tmp_path):
    """The issue's vector: a search result linking to javascript: from a published post."""
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    (project / "content/posts/zz.md").write_text(
        "Title: Suchtreffer\nDate: 2026-11-01\n\nErster Absatz.\n\n"
        '<p data-pagefind-meta="url:javascript:alert(document.domain)">Text</p>\n', encoding="utf-8")
    result = build_site(project, out)
    assert result.returncode != 0
    assert "content/posts/zz.md:6: attribute 'data-pagefind-meta' is not allowed" in result.stderr
    assert tree_digest(out) == before
