"""Drafts and hidden posts stay private.

`make publish` (``PREVIEW_UNPUBLISHED = False``) writes no draft or hidden
post or page at all: the generators' lists of them are emptied as soon as
reading is done, before anything is rendered, so no page, feed, search
fragment, sitemap or report can mention them. `make html` / `make serve`
(``PREVIEW_UNPUBLISHED = True``) render them for the author's preview; the
templates mark them "Entwurf – nicht veröffentlicht", ``noindex``, and keep
them out of the search index. Published lists never contain them in
either mode (Pelican keeps them in separate lists).
"""

from pelican import signals

from wachhund_settings import boolean

ARTICLE_LISTS = ("drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGE_LISTS = ("draft_pages", "draft_translations", "hidden_pages", "hidden_translations")


def preview_enabled(settings) -> bool:
    return boolean("PREVIEW_UNPUBLISHED", settings.get("PREVIEW_UNPUBLISHED", False))


def _drop(generator, names):
    if preview_enabled(generator.settings):
        return
    for name in names:
        # In place: the generator's context holds the same list objects.
        getattr(generator, name, []).clear()


def drop_unpublished_articles(generator):
    _drop(generator, ARTICLE_LISTS)


def drop_unpublished_pages(generator):
    _drop(generator, PAGE_LISTS)


def register():
    signals.article_generator_finalized.connect(drop_unpublished_articles)
    signals.page_generator_finalized.connect(drop_unpublished_pages)
