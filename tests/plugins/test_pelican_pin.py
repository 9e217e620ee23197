"""The few places where we rely on Pelican internals, pinned to the version they were
written for. When Pelican is upgraded this test fails first and names what to re-check.

Every such use lives in wachhund/pelican_internals.py; each of its functions is run
here against the installed Pelican, on a copy of the real site read as a build reads it."""

import copy
import inspect
import logging
import re
from pathlib import Path

import jinja2
import pelican
import pytest
from markdown import Markdown
from pelican.contents import Content, Page
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import SafeDatetime

from tests.support import ROOT, copy_project
from wachhund import pelican_internals as internals

DRAFT = "content/posts/2026-11-20-entwurf.md"
LINKING = "content/posts/2026-11-21-verweis.md"


def test_pelican_version_is_the_one_the_internals_were_checked_against():
    assert pelican.__version__.startswith("4.12."), (
        "Pelican was upgraded: re-check every use listed in wachhund/pelican_internals.py "
        "(the preview's read_site, replace_everywhere, write_post_pages; strict_reader's parse_metadata; "
        "unique_output's OpenWatchingWriter; source_files, drafts and frozen_urls), then update this pin")


def test_no_private_pelican_name_outside_the_adapter():
    private = re.compile(r"\._open_w|\._parse_metadata|\._md\b|\._source_path|_get_intrasite_link_regex|\._content\b"
                         r"|\.fget\b|__dict__|generate_articles|generate_drafts|\.override_url|override_save_as"
                         r"|_output_location_referenced|get_url_setting")
    adapter = Path(internals.__file__).resolve()
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for folder in ("plugins", "wachhund") for path in sorted((ROOT / folder).rglob("*.py"))
             if path.resolve() != adapter
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if private.search(line)]
    assert found == [], "a private Pelican name outside wachhund/pelican_internals.py: move the use there"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real site with a draft, a post linking it with {filename} and two static files,
    read by `read_site` with the project's settings and plugins."""
    tmp = tmp_path_factory.mktemp("pin")
    project = copy_project(tmp / "project")
    (project / DRAFT).write_text("Title: Ein Entwurf\nDate: 2026-11-20 09:00\nCategory: Duisburg\nStatus: draft\n\n"
                                 "Noch nicht fertig.\n", encoding="utf-8")
    (project / LINKING).write_text("Title: Ein Verweis\nDate: 2026-11-21 09:00\nCategory: Duisburg\nTags: Pinnwand\n\n"
                                   "Siehe [den anderen]({filename}/posts/2026-11-16-wie-wir-pruefen.md).\n",
                                   encoding="utf-8")
    for name in ("eins.pdf", "zwei.pdf"):
        (project / "content/extra" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "content/extra" / name).write_bytes(b"%PDF-1.4\n")
    scratch = tmp / "scratch"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        settings = read_settings(str(project / "pelicanconf.py"), override={"OUTPUT_PATH": str(scratch)})
        generators = internals.read_site(settings)
    assert generators is not None
    return project, scratch, generators


def generator_of(generators, kind):
    return next(g for g in generators if isinstance(g, kind))


def by_source(generator, relative):
    return next(c for c in internals.contents(generator) if c.source_path.endswith(relative.split("/", 1)[1]))


def test_read_site_reads_everything_and_writes_nothing(site):
    _project, scratch, generators = site
    articles = generator_of(generators, ArticlesGenerator)
    assert {Path(a.source_path).name for a in articles.drafts} == {Path(DRAFT).name}
    assert len(articles.articles) >= 8 and generator_of(generators, PagesGenerator).pages
    assert not scratch.exists() or not any(p.is_file() for p in scratch.rglob("*")), "something was written"


def test_contents_names_the_generators_lists(site):
    _project, _scratch, generators = site
    articles, pages = generator_of(generators, ArticlesGenerator), generator_of(generators, PagesGenerator)
    for name in internals.CONTENT_LISTS:
        assert isinstance(getattr(articles, name, None), list) or isinstance(getattr(pages, name, None), list), name
    read = {Path(c.source_path).name for g in (articles, pages) for c in internals.contents(g)}
    assert {Path(DRAFT).name, Path(LINKING).name, "ueber-dieses-blog.md"} <= read


def test_replace_everywhere_reaches_every_list_holding_the_post(site):
    _project, _scratch, generators = site
    articles = generator_of(generators, ArticlesGenerator)
    old = by_source(articles, LINKING)
    new = copy.copy(old)
    holders = [articles.articles, articles.dates, articles.context["articles"], articles.context["dates"],
               *(posts for tag, posts in articles.tags.items() if str(tag) == "Pinnwand"),
               *(posts for category, posts in articles.categories if str(category) == "Duisburg")]
    assert len(holders) == 6 and all(any(p is old for p in posts) for posts in holders)
    internals.replace_everywhere(articles, old, new)
    try:
        assert all(any(p is new for p in posts) and not any(p is old for p in posts) for posts in holders)
    finally:
        internals.replace_everywhere(articles, new, old)


def test_write_post_pages_writes_each_post_page_and_nothing_else(site):
    _project, _scratch, generators = site
    articles = generator_of(generators, ArticlesGenerator)
    written = []
    internals.write_post_pages(articles, lambda name, *args, **kwargs: written.append((name, kwargs["article"])))
    expected = [*articles.translations, *articles.articles, *articles.hidden_translations, *articles.hidden_articles,
                *articles.drafts_translations, *articles.drafts]
    assert [name for name, _ in written] == [post.save_as for post in expected]
    assert all(post is expected[i] for i, (_, post) in enumerate(written))


def test_parse_metadata_makes_pelicans_metadata_and_keeps_markdown_reusable(caplog):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    reader = MarkdownReader(settings)
    md = Markdown(**settings["MARKDOWN"])
    md.convert("Title: Eins\nDate: 2026-01-02 09:00\nDate: 2026-01-03 09:00\nTags: a, b\nSummary: *kurz*\n\nText.\n")
    with caplog.at_level(logging.WARNING):
        metadata = internals.parse_metadata(reader, md, "posts/eins.md")
    assert metadata["title"] == "Eins" and metadata["date"] == SafeDatetime(2026, 1, 2, 9, 0)
    assert [str(tag) for tag in metadata["tags"]] == ["a", "b"]
    assert metadata["summary"] == "<p><em>kurz</em></p>"  # a formatted field, converted by the same instance
    assert "posts/eins.md" in caplog.text  # the duplicate Date is reported with the reader's _source_path
    md.reset()
    md.convert("Title: Zwei\n\nText.\n")  # the same instance reads the next file's header
    assert internals.parse_metadata(reader, md, "posts/zwei.md")["title"] == "Zwei"


def test_open_watching_writer_sees_every_page_and_feed_before_it_is_opened(tmp_path):
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "SITEURL": "https://example.org", "FEED_DOMAIN": "https://example.org",
                "SITENAME": "Test"}
    seen = []

    class Watching(internals.OpenWatchingWriter):
        def before_open(self, filename):
            seen.append(Path(filename).relative_to(tmp_path).as_posix())
            if filename.endswith("nein.html"):
                raise RuntimeError("refused")

    writer = Watching(str(tmp_path), settings=settings)
    template = jinja2.Environment().from_string("<p>{{ SITENAME }}</p>")
    writer.write_file("a/index.html", template, settings)
    writer.write_feed([], settings, "feeds/all.atom.xml")
    with pytest.raises(RuntimeError):
        writer.write_file("nein.html", template, settings)
    assert seen == ["a/index.html", "feeds/all.atom.xml", "nein.html"]
    assert (tmp_path / "a/index.html").read_text() == "<p>Test</p>" and (tmp_path / "feeds/all.atom.xml").exists()
    assert not (tmp_path / "nein.html").exists()


def test_save_as_unreferenced_leaves_an_attached_file_movable(site):
    _project, _scratch, generators = site
    statics = {Path(s.source_path).name: s for s in generator_of(generators, StaticGenerator).staticfiles}
    post = by_source(generator_of(generators, ArticlesGenerator), LINKING)
    untouched, referenced = copy.copy(statics["eins.pdf"]), copy.copy(statics["zwei.pdf"])
    assert internals.save_as_unreferenced(untouched) == "extra/eins.pdf"
    assert referenced.save_as == "extra/zwei.pdf"  # Static's own property: the location is now fixed
    untouched.attach_to(post)
    referenced.attach_to(post)
    assert untouched.save_as == "2026/ein-verweis/eins.pdf"  # moved next to the post
    assert referenced.save_as == "extra/zwei.pdf"  # why source_files must not read it this way


def test_intrasite_links_are_found_in_the_readers_html(site):
    _project, _scratch, generators = site
    post = by_source(generator_of(generators, ArticlesGenerator), LINKING)
    html = internals.reader_html(post)
    found = [(m.group("what"), m.group("value")) for m in internals.intrasite_link_regex(post).finditer(html)]
    assert found == [("filename", "/posts/2026-11-16-wie-wir-pruefen.md")]
    assert "{filename}" not in post.content  # what Pelican makes of it: the link replaced


def test_freeze_url_keeps_the_url_of_now():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    post = Page("Text", metadata={"title": "Eins", "slug": "eins"}, settings=settings)
    post.slug = "zwei"
    assert post.url == "pages/zwei.html"  # not frozen: derived again on every read
    internals.freeze_url(post)
    post.slug = "drei"
    assert post.url == "pages/zwei.html"


def test_markdown_reader_internals_we_extend():
    """strict_reader lets Pelican's _parse_metadata turn the Markdown Meta dict into
    metadata, using the reader's ._md instance (parse_metadata sets it)."""
    source = inspect.getsource(MarkdownReader._parse_metadata)
    assert "self._md" in source and 'deregister("meta")' in source
    assert list(inspect.signature(MarkdownReader._parse_metadata).parameters) == ["self", "meta"]


def test_override_url_is_how_content_urls_are_fixed():
    """frozen_urls stores each URL once with Pelican's own override mechanism."""
    assert 'hasattr(self, "override_" + key)' in inspect.getsource(Content.get_url_setting).replace("'", '"')
