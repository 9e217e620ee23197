"""Compute each post's and page's URL once per build.

Pelican derives ``url`` from the URL pattern every time a template asks (a
relative path and a date format each time, about twenty times per post
across the article, list, tag and feed pages). Once all content is read,
nothing can change it any more, so we record it with Pelican's own
``override_url`` mechanism. (Not ``save_as``: Pelican treats an overridden
``save_as`` as "may replace other files", which would hide collisions.)
"""

from pelican import signals

CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations",
    "pages", "hidden_pages", "draft_pages", "draft_translations",
)


def all_content(generators):
    """Every post and page of every generator: published, hidden, drafts, translations."""
    for generator in generators:
        for name in CONTENT_LISTS:
            yield from getattr(generator, name, None) or ()


def freeze(generators):
    for content in all_content(generators):
        content.override_url = content.url


def register():
    signals.all_generators_finalized.connect(freeze)
