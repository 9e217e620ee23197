"""Build the whole site and look at the output (issue: the site)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support import build_site, html_files, tree_digest

POSTS = {
    "2026/575-leistungen-bis-ende-2022-was-das-onlinezugangsgesetz-verlangt-hat": "5. Oktober 2026",
    "2026/duisburg-digital-viel-ankuendigung-wenig-antrag": "12. Oktober 2026",
    "2026/open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014": "19. Oktober 2026",
    "2026/die-wirtschaftsfoerderung-ist-umgezogen-die-pressemeldungen-sind-stehen-geblieben": "26. Oktober 2026",
    "2026/digital-direktnrw-das-land-zaehlt-330-dienste-und-sich-auf-platz-1": "2. November 2026",
    "2026/wie-wir-pruefen-reifegrade-quellen-und-keine-angabe": "16. November 2026",
    "2026/platz-1-oder-weit-hinten-zwei-masse-fuer-denselben-stand": "23. November 2026",
}
PAGES = ["ueber-dieses-blog", "impressum", "datenschutzerklaerung"]


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_posts_and_pages_at_documented_urls(site):
    for url in list(POSTS) + PAGES + [
        "", "archiv", "archiv/2026", "kategorie", "kategorie/duisburg", "kategorie/in-eigener-sache",
        "schlagwort", "schlagwort/buergeramt", "schlagwort/strassenverkehr", "suche", "ozg", "ozg/duisburg",
        "ozg/nrw", "autor",
    ]:
        assert (site / url / "index.html").is_file(), url
    assert (site / "404.html").is_file()


def test_post_url_list_is_complete(site):
    """The dict above lists every post: a new post must be added there on purpose."""
    built = {str(p.parent.relative_to(site)) for p in (site / "2026").glob("*/index.html")}
    assert built == set(POSTS)


def test_german_dates_without_locale(site):
    for url, date in POSTS.items():
        page = soup(site / url / "index.html")
        assert page.find("time").get_text() == date
    modified = soup(site / "2026/digital-direktnrw-das-land-zaehlt-330-dienste-und-sich-auf-platz-1/index.html")
    assert "aktualisiert am" in modified.select_one(".meta").get_text()
    assert "16. November 2026" in modified.select_one(".meta").get_text()


def test_transliterated_slugs(site):
    assert (site / "schlagwort/buergeramt/index.html").exists()
    assert (site / "schlagwort/strassenverkehr/index.html").exists()
    assert not (site / "schlagwort/burgeramt").exists()
    assert (site / "kategorie/open-data/index.html").exists()
    assert (site / "2026/die-wirtschaftsfoerderung-ist-umgezogen-die-pressemeldungen-sind-stehen-geblieben").is_dir()


def test_html_lang_landmarks_and_skip_link(site):
    page = soup(site / "index.html")
    assert page.html["lang"] == "de"
    assert page.find("main", id="inhalt") and page.find("header") and page.find("footer") and page.find("nav")
    assert page.select_one("a.skip-link")["href"] == "#inhalt"


def test_article_head_and_body(site):
    url = "2026/duisburg-digital-viel-ankuendigung-wenig-antrag"
    page = soup(site / url / "index.html")
    assert page.title.get_text().startswith("Duisburg digital")
    assert page.find("link", rel="canonical") is None  # make html: no SITEURL, so no (relative) canonical
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", attrs={"name": "description"})["content"]
    import json

    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["@type"] == "BlogPosting" and ld["datePublished"].startswith("2026-10-12")
    assert page.find("link", rel="alternate", type="application/atom+xml")
    assert "Min. Lesezeit" in page.select_one(".meta").get_text()
    toc = page.select_one("nav.toc")  # long post with several sections
    entries = [(a["href"], a.get_text()) for a in toc.select("ol > li > a")]
    assert len(entries) >= 3
    for href, text in entries:
        heading = page.select_one(".content").find(id=href[1:])
        assert heading is not None and heading.get_text() == text, href
    assert page.find("a", rel="prev") and page.find("a", rel="next")
    assert page.select("a[rel=tag]")


def test_no_third_party_assets(site):
    for path in html_files(site):
        page = soup(path)
        for tag in page.find_all(["script", "img", "iframe", "link", "source", "video", "audio"]):
            for attr in ("src", "href", "srcset"):
                value = tag.get(attr)
                if not value or (tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"])):
                    continue
                assert not urlsplit(value).netloc, f"{path}: {tag.name} loads {value}"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css


def test_feeds_parse(site):
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert len(feeds) >= 4
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        # No link has died, nothing was corrected, no question recorded and no portal imported yet.
        if not path.name.startswith(("link-warnungen", "korrekturen", "anfragen", "offene-daten")):
            assert parsed.entries, path
    everything = feedparser.parse((site / "feeds/alle.atom.xml").read_bytes())
    assert len(everything.entries) == len(POSTS)


def test_sitemap_lists_every_article(site):
    tree = ET.parse(site / "sitemap.xml")
    locs = {el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for url in POSTS:
        assert f"/{url}/" in locs
    assert "/ozg/duisburg/" in locs
    assert "Sitemap:" not in (site / "robots.txt").read_text()  # only with an absolute SITEURL


def test_pagefind_index_present(site):
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert list((site / "pagefind").glob("pagefind-entry.json"))
    search = soup(site / "suche/index.html")
    assert search.find(id="suche")


def test_pagination_under_page_n(project, tmp_path):
    out = tmp_path / "out"
    result = build_site(project, out, extra=["-e", "DEFAULT_PAGINATION=2"])
    assert result.returncode == 0, result.stderr
    assert (out / "page/2/index.html").is_file()
    assert (out / "page/3/index.html").is_file()
    page2 = soup(out / "page/2/index.html")
    assert page2.find("a", rel="prev")["href"] == "/"


def test_the_deadline_shown_is_the_setting(project, tmp_path):
    """The OZG deadline is a setting (OZG['DEADLINE']), not text typed into templates."""
    import json

    out = tmp_path / "out"
    ozg = {"DATA_DIR": "data/ozg", "SIDEBAR_KOMMUNE": "duisburg", "DEADLINE": "2023-06-30"}
    result = build_site(project, out, extra=["-e", f"OZG={json.dumps(ozg)}"])
    assert result.returncode == 0, result.stderr
    box = soup(out / "index.html").select_one(".ozg-box").get_text(" ", strip=True)
    overview = soup(out / "ozg/index.html").get_text(" ", strip=True)
    for text in (box, overview):
        assert "30. Juni 2023" in text
        assert "31.12.2022" not in text and "31. Dezember 2022" not in text and "Ende 2022" not in text


def test_two_builds_are_byte_identical(site, project, tmp_path):
    out = tmp_path / "again"
    assert build_site(project, out).returncode == 0
    assert tree_digest(out) == tree_digest(site)


BAD_POSTS = {
    "no-title": ("Date: 2026-11-01\nCategory: Test\n\nText.\n", 1, "title missing"),
    "bad-date": ("Title: X\nDate: 2026-13-45\n\nText.\n", 2, "not a valid date"),
    "broken-meta": ("Title: X\nDate: 2026-11-01\nCategory Test\n\nText.\n", 3, "broken metadata line"),
    "unknown-template": ("Title: X\nDate: 2026-11-01\nTemplate: gibtsnicht\n\nText.\n", 3, "template 'gibtsnicht'"),
    "bad-directive": (
        'Title: X\nDate: 2026-11-01\n\nText.\n\n{% ozg tabelle kommune="atlantis" %}\n', 6, "unknown municipality 'atlantis'"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_POSTS))
def test_bad_post_fails_with_file_and_line_and_keeps_output(name, project, tmp_path):
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    text, line, message = BAD_POSTS[name]
    (project / "content/posts" / f"{name}.md").write_text(text, encoding="utf-8")
    result = build_site(project, out)
    assert result.returncode != 0
    assert f"content/posts/{name}.md:{line}:" in result.stderr
    assert message in result.stderr
    assert tree_digest(out) == before


def test_non_utf8_post_fails_with_line(project, tmp_path):
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    (project / "content/posts/latin1.md").write_bytes("Title: X\nDate: 2026-11-01\n\nGr\xfc\xdfe\n".encode("latin-1"))
    result = build_site(project, out)
    assert result.returncode != 0
    assert "content/posts/latin1.md:4:" in result.stderr and "not UTF-8" in result.stderr
    assert tree_digest(out) == before


def test_bad_yaml_fails_build_with_file_line_and_keeps_output(project, tmp_path):
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    path = project / "data/ozg/kommunen/duisburg.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "online: ja" in line)
    lines[index] = "    reifegrad: 5"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(project, out)
    assert result.returncode != 0
    assert f"data/ozg/kommunen/duisburg.yaml:{index + 1}: reifegrad must be 0-4, got 5" in result.stderr
    assert tree_digest(out) == before


def test_no_relative_canonical_or_sitemap_without_siteurl(site):
    """make html has no SITEURL: what cannot be absolute is left out (a relative
    canonical link or Sitemap: line is invalid; Lighthouse SEO flags both)."""
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    for line in robots.splitlines():
        if line.lower().startswith("sitemap:"):
            assert line.split(":", 1)[1].strip().startswith(("http://", "https://")), line
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("link", rel="canonical"):
            assert link["href"].startswith(("http://", "https://")), page
        og = soup.find("meta", property="og:url")
        assert og is None or og["content"].startswith(("http://", "https://")), page


def test_published_robots_names_the_absolute_sitemap(project, tmp_path):
    out = tmp_path / "out"
    env = {"WACHHUND_SITEURL": "https://wachhund.example.org"}
    assert build_site(project, out, settings="publishconf.py", env=env).returncode == 0
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://wachhund.example.org/sitemap.xml" in robots
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://wachhund.example.org/"


def test_pagefind_glob_takes_every_searchable_page_and_skips_large_unsearched_folders():
    """Pagefind parses every page its glob takes in, even those it then skips: 391 OZG pages
    per municipality cost 1.7 s. The glob leaves out such folders, never a marked page."""
    from plugins.pagefind_search.index import Section, _glob

    marked = ["2026/a/index.html", "2026/b/index.html", "ozg/index.html", "ozg/duisburg/index.html", "index.html"]
    unmarked = [f"ozg/gemeinde/{n:012d}/index.html" for n in range(25)] + ["2026/index.html", "schlagwort/x/index.html"]
    glob = _glob(Section("pagefind", ()), marked, sorted(marked + unmarked))
    parts = glob.strip("{}").split(",")
    assert parts == ["*.html", "2026/**/*.html", "ozg/*.html", "ozg/duisburg/**/*.html"]
    # a small unmarked folder is no reason to split the glob
    assert _glob(Section("pagefind", ()), marked, sorted(marked + unmarked[-2:])) == "**/*.html"


def searchable_page(root, relative, title):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="de"><head><title>{title}</title></head>'
                    f'<body><main data-pagefind-body><h1>{title}</h1><p>Text über {title}.</p></main></body></html>',
                    encoding="utf-8")
    return path


def pages_in(root, bundle):
    import json

    entry = json.loads((root / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["de"]["page_count"]


def test_an_early_search_section_is_redone_when_a_page_arrives_after_it_started(tmp_path):
    """Post sections are indexed while the rest of the site is written. A page that lands
    in a section's folder after its run began (an {attach}ed page, copied last) must not
    be missing from the index: the section runs again."""
    from collections import Counter

    from plugins.pagefind_search.index import SectionRuns, plan_sections

    def page(relative, title):
        searchable_page(tmp_path, relative, title)

    page("2025/a/index.html", "Alt")
    page("2026/b/index.html", "Neu")
    page("impressum/index.html", "Impressum")
    sections = plan_sections(Counter({"2025": 1, "2026": 1}), 1)
    assert [s.bundle for s in sections] == ["pagefind", "pagefind/2025", "pagefind/2026"]
    runs = SectionRuns(tmp_path, sections, 2)
    for section in sections[1:]:
        runs.start(section)
    runs.started["pagefind/2026"][0].result()  # that run is over ...
    page("2026/b/anhang.html", "Anhang")  # ... when another page arrives in its folder
    assert runs.finish() == ["pagefind", "pagefind/2025", "pagefind/2026"]
    assert [pages_in(tmp_path, b) for b in ("pagefind", "pagefind/2025", "pagefind/2026")] == [1, 1, 2]


def test_a_search_section_starts_when_the_last_of_its_posts_is_written(tmp_path):
    """Pelican writes the newest posts first. A post section's Pagefind run starts as soon as
    the last page of its posts is written, so it indexes on the other core while Pelican
    writes the older posts, not after every post (it then added most of its time to the build's)."""
    from types import SimpleNamespace

    from plugins.pagefind_search import index
    from wachhund.site import site_of

    settings = {"PAGEFIND_SECTION_SIZE": 2}
    saved = ["2026/b/index.html", "2026/c/index.html", "2025/a/index.html"]
    generator = SimpleNamespace(settings=settings, context={}, output_path=str(tmp_path),
                                articles=[SimpleNamespace(save_as=path) for path in saved],
                                hidden_articles=[SimpleNamespace(save_as="2026/versteckt/index.html")])
    index.on_all_generators_finalized([generator])
    assert generator.context["PAGEFIND_BUNDLES"] == ["pagefind", "pagefind/2025", "pagefind/2026"]
    runs = site_of(settings).private[index.RUNS]
    context = dict(settings)  # Pelican hands content_written a copy of the settings, the build's Site in it

    def written(relative):
        index.on_content_written(str(searchable_page(tmp_path, relative, relative)), context)
        return sorted(runs.started)

    assert written("2026/b/index.html") == []
    assert written("2026/c/index.html") == []  # a hidden post's page, written last, goes there too
    assert written("impressum/index.html") == []  # no post page
    assert written("2025/a/index.html") == ["pagefind/2025"]
    assert written("2026/versteckt/index.html") == ["pagefind/2025", "pagefind/2026"]
    index.on_finalized(SimpleNamespace(settings=settings, output_path=str(tmp_path)))
    assert [pages_in(tmp_path, b) for b in ("pagefind", "pagefind/2025", "pagefind/2026")] == [1, 1, 3]
