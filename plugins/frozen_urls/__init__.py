"""Compute each post's and page's URL once per build.

Pelican derives ``url`` and ``save_as`` from the URL patterns every time a
template asks (a relative path and a date format each time, about twenty
times per post across the article, list, tag and feed pages). Once all
content is read, nothing can change them any more, so we record them with
Pelican's own ``override_url``/``override_save_as`` mechanism.
"""

from pelican import signals

CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations",
    "pages", "hidden_pages", "draft_pages", "draft_translations",
)


def freeze(generators):
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                content.override_url = content.url
                content.override_save_as = content.save_as


def register():
    signals.all_generators_finalized.connect(freeze)
