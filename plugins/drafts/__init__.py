"""Drafts, hidden and scheduled posts stay private.

`make publish` (``PREVIEW_UNPUBLISHED = False``) empties the generators' lists of them
as soon as reading is done, so no page, feed, search fragment, sitemap or report can
mention them; `make html`/`make serve` render them marked for the author's preview.
Files only a draft links (``{static}``, ``{attach}``, ``{filename}``) are withheld from
`make publish` too, decided on the path a browser would request (paths.py). A published
post that links an unpublished one would publish its address and so its title words:
`make publish` stops with the linking file and line, the preview only warns.
README: "Nothing unpublished is reachable from the published site".
"""

import logging
import os
from dataclasses import dataclass, field

from pelican import signals

from wachhund.lib.errors import ContentError
from wachhund.lib.files import shown_path
from wachhund.site import site_of

from .paths import INTRASITE, browser_path, file_key, intrasite_links, site_links, site_path
from .schedule import SCHEDULED, announce_cutoff, hold_back_scheduled
from .settings import preview_enabled
from .source_lines import links_in

__all__ = ["preview_enabled", "register"]

ARTICLE_LISTS = ("drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGE_LISTS = ("draft_pages", "draft_translations", "hidden_pages", "hidden_translations")
STATE = "drafts"  # this plugin's key in Site.private: one Unpublished per build
log = logging.getLogger(__name__)


@dataclass
class Unpublished:
    """What the article and page generators found, for the static generator's turn."""

    items: dict = field(default_factory=dict)  # source path -> the unpublished post or page
    addresses: dict = field(default_factory=dict)  # its page path ("entwurf/x") -> the same
    private_links: set = field(default_factory=set)  # paths unpublished content links
    published: list = field(default_factory=list)  # published posts and pages (their links are checked)


def start_build(pelican):
    site_of(pelican.settings).private.pop(STATE, None)  # a settings dict used for a second build starts empty
    announce_cutoff(pelican)


def _collect(generator, names, published):
    state = site_of(generator.settings).private.setdefault(STATE, Unpublished())
    state.published.extend(published)
    for name in names:
        for content in getattr(generator, name, []):
            state.items[file_key(content.get_relative_source_path())] = content
            if address := site_path("/" + content.url):  # never the home page
                state.addresses[address] = content
            state.private_links.update(path for _, _, path in intrasite_links(content))
        if not preview_enabled(generator.settings):
            # In place: the generator's context holds the same list objects.
            getattr(generator, name, []).clear()


def drop_unpublished_articles(generator):
    _collect(generator, ARTICLE_LISTS, [*generator.articles, *generator.translations])


def drop_unpublished_pages(generator):
    _collect(generator, PAGE_LISTS, [*generator.pages, *generator.translations])


def check_and_withhold(generator):
    """Runs once all posts and pages are read: no published link may reach an
    unpublished item; static files only unpublished content links are not written."""
    state = site_of(generator.settings).private.get(STATE)
    if state is None:
        return
    publish = not preview_enabled(generator.settings)
    siteurl = generator.settings.get("SITEURL") or ""
    public_links, problems = set(), []
    # An address a published item has too is not a draft's (two items on one address are
    # another check's error).
    addresses = dict(state.addresses)
    for content in state.published:
        addresses.pop(site_path("/" + content.url), None)
    for content in state.published:
        reached = {}  # what a link reaches -> (the target, its first link as in the HTML, which source links match)
        for what, value, path in intrasite_links(content):
            public_links.add(path)
            if path in state.items:
                reached.setdefault(("file", path), (state.items[path], "{" + what + "}" + value, _reaches_file(path, content)))
        for value, path in site_links(content, siteurl):
            public_links.add(path)  # a plain /extra/x.pdf is a link too: the file is published
            if path in addresses:
                reached.setdefault(("page", path), (addresses[path], value, _reaches_page(path, siteurl)))
        for target, shown_link, wanted in reached.values():
            problems.extend(_link_errors(content, target, shown_link, wanted))
    if problems and publish:
        first, *others = problems
        raise ContentError(first.path, first.line, "\n".join([first.message, *map(str, others)]))
    for problem in problems:
        log.warning("%s (make publish bricht hier ab)", problem)
    if publish:
        private = state.private_links - public_links
        generator.staticfiles[:] = [
            s for s in generator.staticfiles if file_key(s.get_relative_source_path()) not in private
        ]


def _reaches_file(path, content):
    """Does a {filename}/{static}/{attach} destination in `content`'s source reach `path`?"""
    def wanted(written):
        match = INTRASITE.match(written)
        return bool(match) and browser_path(match.group("value"), content.relative_dir) == path
    return wanted


def _reaches_page(path, siteurl):
    """Does a plain destination in a source request the page `path`?"""
    return lambda written: not INTRASITE.match(written) and site_path(written, siteurl) == path


def _link_errors(content, target, shown_link, wanted) -> list[ContentError]:
    """One error per place in the source that links `target` (each inline link and
    each reference definition has its own line)."""
    status = (f"geplant für {target.date.date().isoformat()}" if target.status == SCHEDULED
              else f"Status: {target.status}")
    where = links_in(content.source_path, wanted) or [(None, shown_link)]
    return [
        ContentError(
            _display_path(content), line,
            f"verlinkt einen Entwurf: {written} ({status}) – erst den Entwurf veröffentlichen oder den Link entfernen",
        )
        for line, written in where
    ]


def _display_path(content) -> str:
    """content/posts/x.md, as authors know it (relative to the folder that holds content/)."""
    return shown_path(content.source_path, os.path.dirname(os.path.abspath(content.settings["PATH"])))


def register():
    signals.initialized.connect(start_build)
    signals.article_generator_pretaxonomy.connect(hold_back_scheduled)
    signals.article_generator_finalized.connect(drop_unpublished_articles)
    signals.page_generator_finalized.connect(drop_unpublished_pages)
    signals.static_generator_finalized.connect(check_and_withhold)
