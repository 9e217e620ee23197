"""Author HTML: the strict reader names markup that would run, and the allowlist
sanitiser removes it whatever the check misses (issue 13, item 3).

Outputs are inspected with html5lib, which builds the tree a browser builds,
so parser-mutation tricks are judged as a browser would judge them."""

import re
from pathlib import Path

import feedparser
import html5lib
import pytest
from pelican.settings import read_settings

from strict_reader.checks import check_active_html
from strict_reader.errors import ContentError
from strict_reader.reader import StrictMarkdownReader

from support import ROOT, build_site

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
