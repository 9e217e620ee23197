"""Drafts and hidden posts stay private.

`make publish` (``PREVIEW_UNPUBLISHED = False``) writes no draft or hidden
post or page at all: the generators' lists of them are emptied as soon as
reading is done, before anything is rendered, so no page, feed, search
fragment, sitemap or report can mention them. `make html` / `make serve`
(``PREVIEW_UNPUBLISHED = True``) render them for the author's preview; the
templates mark them "Entwurf – nicht veröffentlicht", ``noindex``, and keep
them out of the search index. Published lists never contain them in
either mode (Pelican keeps them in separate lists).

Files a draft links with ``{static}`` or ``{attach}`` (a scanned document, a
photo) are withheld from `make publish` too, unless a published post or page
links them as well: otherwise the draft's material would be online before it.
"""

from pelican import signals

from wachhund_settings import boolean

ARTICLE_LISTS = ("drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGE_LISTS = ("draft_pages", "draft_translations", "hidden_pages", "hidden_translations")


def preview_enabled(settings) -> bool:
    return boolean("PREVIEW_UNPUBLISHED", settings.get("PREVIEW_UNPUBLISHED", False))


def _drop(generator, names, published):
    if preview_enabled(generator.settings):
        return
    links = generator.settings.setdefault("DRAFT_STATIC_LINKS", {"private": set(), "public": set()})
    for content in published:
        links["public"] |= content.get_static_links()
    for name in names:
        for content in getattr(generator, name, []):
            links["private"] |= content.get_static_links()
        # In place: the generator's context holds the same list objects.
        getattr(generator, name, []).clear()


def drop_unpublished_articles(generator):
    _drop(generator, ARTICLE_LISTS, [*generator.articles, *generator.translations])


def drop_unpublished_pages(generator):
    _drop(generator, PAGE_LISTS, [*generator.pages, *generator.translations])


def withhold_draft_files(generator):
    """Static files only unpublished content links to are not written."""
    links = generator.settings.get("DRAFT_STATIC_LINKS")
    if preview_enabled(generator.settings) or not links:
        return
    private = links["private"] - links["public"]
    generator.staticfiles[:] = [s for s in generator.staticfiles if s.relative_source_path not in private]


def register():
    signals.article_generator_finalized.connect(drop_unpublished_articles)
    signals.page_generator_finalized.connect(drop_unpublished_pages)
    signals.static_generator_finalized.connect(withhold_draft_files)
