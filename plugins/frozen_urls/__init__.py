"""Compute each post's and page's URL once per build.

Pelican derives ``url`` from the URL pattern every time a template asks (a
relative path and a date format each time, about twenty times per post
across the article, list, tag and feed pages). Once all content is read,
nothing can change it any more, so we record it with Pelican's own
``override_url`` mechanism (`wachhund.pelican_internals.freeze_url`). (Not
``save_as``: Pelican treats an overridden ``save_as`` as "may replace other
files", which would hide collisions.)
"""

from pelican import signals

from wachhund.pelican_internals import contents, freeze_url


def freeze(generators):
    for generator in generators:
        for content in contents(generator):
            freeze_url(content)


def register():
    signals.all_generators_finalized.connect(freeze)
