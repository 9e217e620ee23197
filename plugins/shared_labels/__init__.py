"""One Tag, Category and Author object per name, shared by all posts.

Pelican's reader makes new objects for every post's tags, category and
author: 25,000 objects for 5,000 posts. The first template access to one's
``url`` also turns its compact attribute storage into a full dict (Pelican's
``URLWrapper.as_dict`` adds two keys), about 200 bytes each. Sharing the
objects the generator already uses as keys of its tag, category and author
lists saves that, and changes nothing else: Pelican compares them by slug.
"""

from pelican import signals
from pelican.urlwrappers import URLWrapper

from frozen_urls import CONTENT_LISTS

FIELDS = ("tags", "category", "author", "authors")


def _shared(value, seen):
    if isinstance(value, URLWrapper):
        return seen.setdefault((type(value), value.slug), value)
    if isinstance(value, list) and value and all(isinstance(v, URLWrapper) for v in value):
        return [seen.setdefault((type(v), v.slug), v) for v in value]
    return value


def share_labels(generator):
    seen = {}
    # The generator's own lists come first, so their keys are the ones kept.
    for name in ("tags", "categories", "authors"):
        grouped = getattr(generator, name, None)
        for label in (grouped.keys() if isinstance(grouped, dict) else (item[0] for item in grouped or ())):
            seen.setdefault((type(label), label.slug), label)
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            for field in FIELDS:
                value = getattr(content, field, None)
                shared = _shared(value, seen)
                if shared is value:
                    continue
                setattr(content, field, shared)  # an existing attribute: no new key
                if field in content.metadata:
                    content.metadata[field] = shared


def register():
    signals.article_generator_finalized.connect(share_labels)
    signals.page_generator_finalized.connect(share_labels)
